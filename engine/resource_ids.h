#pragma once
// Resource ids of backups, exports and imports (reference A8, A9): the request's time in epoch
// milliseconds as 14 digits, '-', then a per-database counter in 8 lowercase hex digits, as in
// ".../backup/01489602797149-73d8d5bc". The counter is Engine::nextResourceId's (kept in the
// database, so one `capsim call` process after another never repeats an id). Pure function.

#include "engine/table.h"

#include <cstdint>
#include <string>

namespace capsim {

// "<epoch ms, 14 digits>-<counter, 8 hex digits>"; only the counter's low 32 bits are shown.
std::string formatResourceId(EngineTime time, std::uint64_t counter);

} // namespace capsim

// The per-database counter of resource ids (reference A8, A9) and their text.
#include "engine/resource_ids.h"

#include "engine/engine.h"

#include <cstdio>

namespace capsim {

namespace {

// capsim_meta key of the last counter value handed out.
constexpr const char* kResourceCounterSetting = "resource_counter";

} // namespace

std::string formatResourceId(EngineTime time, std::uint64_t counter)
{
    char id[32];
    std::snprintf(id, sizeof id, "%014lld-%08llx", static_cast<long long>(time / 1000),
        static_cast<unsigned long long>(counter & 0xffffffffULL));
    return id;
}

Result<std::string> Engine::nextResourceId(EngineTime now)
{
    auto stored = m_store->getSetting(kResourceCounterSetting);
    if (!stored)
        return stored.status();
    std::uint64_t counter = 0;
    if (*stored) {
        try {
            counter = std::stoull(**stored);
        } catch (const std::exception&) {
            return Status::internal("the database's resource counter '" + **stored + "' is not a number");
        }
    }
    // Counting from 1: the counter 00000000 is the DeleteTable system backup's (reference A8).
    ++counter;
    CAPSIM_RETURN_IF_ERROR(m_store->putSetting(kResourceCounterSetting, std::to_string(counter)));
    return formatResourceId(now, counter);
}

} // namespace capsim

#pragma once
// Compact binary form of an Item for storage (faster to decode than JSON). Versioned by its
// first byte. Pure functions.

#include "engine/attribute_value.h"
#include "engine/status.h"

#include <string>
#include <string_view>

namespace capsim {

std::string encodeItem(const Item& item);
// Fails with InternalServerError on a corrupt or truncated blob.
Result<Item> decodeItem(std::string_view blob);

} // namespace capsim

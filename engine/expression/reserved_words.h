#pragma once
// DynamoDB's reserved words: names that must be written through an ExpressionAttributeNames
// placeholder. Pure function, thread-agnostic.

#include <string_view>

namespace capsim::expr {

// True when `word` (compared case-insensitively) is on DynamoDB's reserved-word list.
bool isReservedWord(std::string_view word);

} // namespace capsim::expr

#pragma once
// JSON text output shaped like DynamoDB's (and the AWS CLI's): doubles in plain decimal
// ("0.5", "1.0"), never Boost.JSON's "5E-1"; optionally indented. Pure functions.

#include <boost/json/value.hpp>

#include <string>

namespace capsim {

std::string toJsonText(const boost::json::value& value, bool pretty = false);

// Parses JSON text with a nesting limit deep enough for DynamoDB's 32 levels of L/M.
// Returns false (and a message) on a syntax error.
bool parseJsonText(std::string_view text, boost::json::value& out, std::string& error);

} // namespace capsim

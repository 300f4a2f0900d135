#pragma once
// The document `capsim serve` answers on GET /capsim/live (README "Server"; a capsim extension,
// not DynamoDB): every region's tables and GSIs as the engine describes them, with the rates
// in force, and the consumed units and throttles per second that LiveCapacity recorded.
// Reads the engine: call it under the lock that guards the engine (DynamoDbEndpoint's LiveView).

#include "engine/engine.h"
#include "simulator/live_capacity.h"

#include <boost/json/value.hpp>

#include <cstdint>

namespace capsim::cli {

// {"now":<nowSecond>,"tables":[{"region","name","billingMode","tableClass","readCapacity",
// "writeCapacity","readRateInForce","writeRateInForce","partitions","itemCount","sizeBytes",
// "indexes":[...the same for each GSI, with "name" the index's...]}],
// "seconds":[{"region","table","second","readUnits","writeUnits","readThrottles","writeThrottles"}]}
// The seconds are LiveCapacity::recentSeconds(sinceSecond); "table" is "table/index" for a GSI.
// The rates in force are null until a request has addressed the table or GSI.
boost::json::value liveViewJson(
    const Engine& engine, const LiveCapacity& live, std::int64_t sinceSecond, std::int64_t nowSecond);

} // namespace capsim::cli

#pragma once
// Dispatcher: the DynamoDB wire format. Maps a JSON request body for an operation (as sent
// with X-Amz-Target: DynamoDB_20120810.<Operation>) to the engine and renders DynamoDB's JSON
// response or error. Serves `capsim call` and, later, the HTTP endpoint. Not thread-safe.

#include "engine/engine.h"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace capsim {

struct WireResponse {
    int httpStatus = 200;
    boost::json::value body;
    bool isError() const { return httpStatus != 200; }
    // The DynamoDB error type ("ValidationException"), empty on success.
    std::string errorType;
    // What the call consumed, per table, even when DynamoDB's response would not say (a failed
    // condition still consumes write units): for metering by the caller.
    std::vector<ConsumedCapacity> consumed;
};

class Dispatcher {
public:
    explicit Dispatcher(Engine& engine)
        : m_engine(engine)
    {
    }

    // `now` is the caller's clock (see EngineTime). Unknown operations answer
    // UnknownOperationException; wrongly typed fields SerializationException.
    WireResponse dispatch(std::string_view operation, const boost::json::value& request, EngineTime now);

    // Renders an error body: {"__type":"com.amazonaws.dynamodb.v20120810#<Type>","message":"..."}.
    static WireResponse errorResponse(const Status& status);

    // The TableDescription object of DescribeTable, with capsim's partition map under "capsim".
    static boost::json::object tableDescription(const TableState& table, const char* status = "ACTIVE");

private:
    Engine& m_engine;
};

} // namespace capsim

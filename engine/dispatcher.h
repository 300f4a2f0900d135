#pragma once
// Dispatcher: the DynamoDB wire format. Maps a JSON request body for an operation (as sent
// with X-Amz-Target: DynamoDB_20120810.<Operation>) to the engine and renders DynamoDB's JSON
// response or error. Serves `capsim call` and, later, the HTTP endpoint. Not thread-safe.
// Operations are a table of handlers (kOperations in dispatcher.cpp, the handlers in
// engine/wire/); every request passes one authorization point before its handler runs.

#include "engine/engine.h"

#include <boost/json/value.hpp>

#include <functional>
#include <map>
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

// A table or one of its indexes that a request touches (`indexName` empty for the table).
struct AccessResource {
    std::string tableName;
    std::string indexName;
    // The resource's ARN as capsim's table descriptions give it (account 000000000000).
    std::string arn(const std::string& region = "us-east-1") const;
    bool operator==(const AccessResource&) const = default;
};

// One (action, resource) pair a request needs allowed (reference A12), with the values of the
// condition keys the request gives for it ("dynamodb:LeadingKeys" -> partition-key values; a
// key not listed is absent from the request; aws:username is the authorizer's to add).
struct AccessPair {
    std::string action; // "dynamodb:GetItem"
    // "*", or the ARN's resource part: "table/Tab", "table/Tab/index/Gsi", "table/Tab/stream/<label>",
    // "table/Tab/backup/<id>", "table/Tab/export/<id>", "table/Tab/import/<id>".
    std::string resource;
    // The region of a resource the request names by ARN; empty: the region the request addresses.
    std::string region;
    // An ARN the request gives that is not a DynamoDB ARN: arn() answers it as given.
    bool verbatim = false;
    std::map<std::string, std::vector<std::string>> conditionKeys;

    // The resource's ARN in `accountId`: arn:aws:dynamodb:<region or requestRegion>:<accountId>:<resource>.
    std::string arn(const std::string& accountId, const std::string& requestRegion) const;
    bool operator==(const AccessPair&) const = default;
};

// What an authorizer decides on: the IAM action ("dynamodb:PutItem"), every table and index
// the request names, and the request's (action, resource) pairs with their condition keys.
struct AccessRequest {
    std::string action;
    std::vector<AccessResource> resources;
    std::vector<AccessPair> pairs;
};

// Returns ok to allow the request, or an AccessDeniedException Status to refuse it.
using Authorizer = std::function<Status(const AccessRequest&)>;

class Dispatcher {
public:
    explicit Dispatcher(Engine& engine)
        : m_engine(engine)
    {
    }

    // `now` is the caller's clock (see EngineTime). Unknown operations answer
    // UnknownOperationException; wrongly typed fields SerializationException; a request the
    // authorizer refuses answers its AccessDeniedException and runs nothing.
    WireResponse dispatch(std::string_view operation, const boost::json::value& request, EngineTime now);

    // The one authorization point, consulted before any handler runs (the server's IAM check
    // plugs in here). The default allows everything; an empty function restores it. A denial
    // answers {"__type":"com.amazon.coral.service#AccessDeniedException","Message":...} (reference A12).
    void setAuthorizer(Authorizer authorizer) { m_authorizer = std::move(authorizer); }

    // The operations the dispatcher serves, in kOperations order.
    static std::vector<std::string> operationNames();

    // Renders an error body: {"__type":"com.amazonaws.dynamodb.v20120810#<Type>","message":"..."}.
    static WireResponse errorResponse(const Status& status);

    // The TableDescription object of DescribeTable, with capsim's partition map under "capsim".
    // `engine` gives the region and the data features' state (streams, backups...).
    static boost::json::object tableDescription(
        const Engine& engine, const TableState& table, const char* status = "ACTIVE");
    // What DeleteTable answers: the description without the table's definition.
    static boost::json::object deletedTableDescription(const Engine& engine, const TableState& table);

private:
    Engine& m_engine;
    Authorizer m_authorizer;
};

} // namespace capsim

#pragma once
// What the wire handlers share: rendering ConsumedCapacity, successful and error responses,
// and the responses of single-item writes and Query/Scan pages. Internal to capsim_engine.

#include "engine/dispatcher.h"
#include "engine/wire/fields.h"

#include <boost/json.hpp>

#include <vector>

namespace capsim::wire {

// DynamoDB's error body for `status` (Dispatcher::errorResponse).
WireResponse errorResponse(const Status& status);
// CreateTable's request fields (TableName, AttributeDefinitions, KeySchema, GlobalSecondaryIndexes,
// BillingMode, ProvisionedThroughput and, with `createTableOnly`, LocalSecondaryIndexes and
// TableClass): CreateTable's and ImportTable's TableCreationParameters (engine/wire/tables.cpp).
Status createTableRequestFrom(Fields& f, CreateTableRequest& r, bool createTableOnly);
// An index's Projection (ProjectionType, NonKeyAttributes) into `out`: CreateTable's, UpdateTable's
// and the restores' index definitions (engine/wire/tables.cpp).
Status projectionFrom(const json::value& projection, const std::string& field, IndexDefinition& out);
// ValidationException "Value null at '<path>' failed to satisfy constraint: Member must not be null".
Status nullField(const std::string& path);
// A Timestamp member (epoch seconds, fractions allowed) as engine time in microseconds; none when
// absent; a non-number fails `f` with DynamoDB's type error.
std::optional<EngineTime> timestampField(Fields& f, const char* name);
// A 200 response with `body`.
WireResponse ok(json::object body);
// `response` carrying what the call consumed (WireResponse::consumed).
WireResponse withConsumed(WireResponse response, std::vector<ConsumedCapacity> consumed);

double epochSeconds(EngineTime t);

// ConsumedCapacity as ReturnConsumedCapacity asks: TOTAL, or INDEXES with the table's and
// each index's share.
json::value capacityJson(const ConsumedCapacity& c, ReturnCapacity mode);
// Adds "ConsumedCapacity" (one object) unless `mode` is NONE.
void addCapacity(json::object& out, const ConsumedCapacity& c, ReturnCapacity mode);
// Adds "ConsumedCapacity" (a list, one entry per table) unless `mode` is NONE.
void addCapacityList(json::object& out, const std::vector<ConsumedCapacity>& list, ReturnCapacity mode);

// The response of PutItem, UpdateItem or DeleteItem.
WireResponse writeResult(const WriteResponse& response, ReturnCapacity mode);
// The response of a Query or Scan page.
WireResponse pageResult(const ReadPageResponse& response, ReturnCapacity mode, bool countOnly);

} // namespace capsim::wire

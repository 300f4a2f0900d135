#pragma once
// The (action, resource, condition keys) pairs of a request (reference A12), which the
// dispatcher's authorization point hands to the authorizer, and the AccessDeniedException a
// denial answers. Internal to capsim_engine.

#include "engine/dispatcher.h"

#include <string_view>
#include <vector>

namespace capsim::wire {

// The pairs a request needs allowed, in request order: `action` on the table (or index, or the
// stream, backup, export or import the request names by ARN), or on "*" for the List operations
// and DescribeLimits/DescribeEndpoints; a pair per table for BatchGetItem and BatchWriteItem;
// dynamodb:GetItem per TransactGetItems item; dynamodb:PutItem, UpdateItem, DeleteItem or
// ConditionCheckItem per TransactWriteItems action. Item operations carry the condition keys
// dynamodb:LeadingKeys, dynamodb:Attributes, dynamodb:Select (reads), dynamodb:ReturnValues
// (writes), dynamodb:ReturnConsumedCapacity and, in transactions, dynamodb:EnclosingOperation.
// `engine` gives the key schemas (the partition key of LeadingKeys). Best effort on a malformed
// request (the handler reports it): never empty; a resource it cannot name is "*".
std::vector<AccessPair> accessPairs(
    const Engine& engine, std::string_view operation, std::string_view action, const boost::json::value& request);

// {"__type":"com.amazon.coral.service#AccessDeniedException","Message":...}, HTTP 400.
WireResponse accessDeniedResponse(const Status& status);

} // namespace capsim::wire

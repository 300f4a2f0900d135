#pragma once
// The DynamoDB JSON codec: {"S":"x"}, {"N":"1.5"}, {"B":"<base64>"}, ... to and from
// AttributeValue, with DynamoDB-shaped validation errors that name the offending field.

#include "engine/attribute_value.h"
#include "engine/status.h"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace capsim {

std::string base64Encode(std::string_view bytes);
// Fails on characters outside the alphabet or bad padding.
bool base64Decode(std::string_view text, std::string& out);

// Decodes one AttributeValue. `field` names where it sits (e.g. "Item.price") for messages.
Result<AttributeValue> attributeValueFromJson(const boost::json::value& json, std::string_view field);
// Decodes a map of attribute name -> AttributeValue (an Item, Key, ExpressionAttributeValues...).
Result<Item> itemFromJson(const boost::json::value& json, std::string_view field);

boost::json::value attributeValueToJson(const AttributeValue& value);
boost::json::object itemToJson(const Item& item);

struct StreamRecord;
// A stream record as GetRecords returns it (reference A7): eventID, eventName, eventVersion,
// eventSource, awsRegion, dynamodb {ApproximateCreationDateTime (epoch seconds, rounded down),
// Keys, NewImage, OldImage, SequenceNumber, SizeBytes, StreamViewType}, and userIdentity for a
// TTL deletion. The wire's GetRecords and the simulator's consumer sinks.
boost::json::object streamRecordToJson(const StreamRecord& record);

} // namespace capsim

// The wire handlers of BatchGetItem and BatchWriteItem.

#include "engine/wire/handlers.h"

#include "engine/json_codec.h"
#include "engine/wire/common.h"
#include "engine/wire/legacy.h"

namespace capsim::wire {

namespace {

json::object keysAndAttributesJson(const KeysAndAttributes& k)
{
    json::object o;
    json::array keys;
    for (const auto& key : k.keys)
        keys.push_back(itemToJson(key));
    o["Keys"] = std::move(keys);
    if (k.consistentRead)
        o["ConsistentRead"] = true;
    if (k.projectionExpression)
        o["ProjectionExpression"] = *k.projectionExpression;
    if (k.expressionAttributeNames) {
        json::object names;
        for (const auto& [placeholder, name] : *k.expressionAttributeNames)
            names[placeholder] = name;
        o["ExpressionAttributeNames"] = std::move(names);
    }
    return o;
}

} // namespace

WireResponse batchGetItem(Engine& engine, Fields& f, EngineTime)
{
    BatchGetItemRequest r;
    const auto* items = f.find("RequestItems");
    const auto mode = returnCapacity(f);
    if (!items)
        f.missing("RequestItems");
    else if (!items->is_object())
        f.fail(Fields::typeError(*items, "Map", "RequestItems"));
    if (!f.ok())
        return errorResponse(f.status());
    for (const auto& [tableName, entry] : items->get_object()) {
        Fields e(entry);
        KeysAndAttributes k;
        const auto* keys = e.find("Keys");
        if (!keys || !keys->is_array()) {
            if (keys)
                e.fail(Fields::typeError(*keys, "List", "Keys"));
            else
                e.missing("Keys");
        } else {
            for (std::size_t i = 0; i < keys->get_array().size() && e.ok(); ++i) {
                auto key = itemFromJson(keys->get_array()[i],
                    "RequestItems." + std::string(tableName) + ".Keys[" + std::to_string(i) + "]");
                if (!key)
                    e.fail(key.status());
                else
                    k.keys.push_back(std::move(key).value());
            }
        }
        k.consistentRead = e.boolean("ConsistentRead").value_or(false);
        k.projectionExpression = e.string("ProjectionExpression");
        k.expressionAttributeNames = e.names(e.find("ExpressionAttributeNames"), "ExpressionAttributeNames");
        if (e.ok())
            e.fail(LegacyTranslator::checkMixing(e, { "AttributesToGet" }, { "ProjectionExpression" }));
        if (e.ok() && e.find("AttributesToGet")) {
            LegacyTranslator legacy(ExpressionInput { k.expressionAttributeNames, std::nullopt });
            k.projectionExpression
                = legacy.projectionAt(e, "RequestItems." + std::string(tableName) + ".AttributesToGet");
            k.expressionAttributeNames = legacy.input().names;
        }
        if (!e.ok())
            return errorResponse(e.status());
        r.requestItems.emplace_back(std::string(tableName), std::move(k));
    }
    auto response = engine.batchGetItem(r);
    if (!response.status)
        return errorResponse(response.status);
    json::object out;
    json::object responses;
    for (const auto& [tableName, list] : response.responses) {
        json::array a;
        for (const auto& item : list)
            a.push_back(itemToJson(item));
        responses[tableName] = std::move(a);
    }
    out["Responses"] = std::move(responses);
    json::object unprocessed;
    for (const auto& [tableName, k] : response.unprocessedKeys)
        unprocessed[tableName] = keysAndAttributesJson(k);
    out["UnprocessedKeys"] = std::move(unprocessed);
    addCapacityList(out, response.consumed, mode);
    return withConsumed(ok(std::move(out)), response.consumed);
}

WireResponse batchWriteItem(Engine& engine, Fields& f, EngineTime)
{
    BatchWriteItemRequest r;
    const auto* items = f.find("RequestItems");
    const auto mode = returnCapacity(f);
    if (!items)
        f.missing("RequestItems");
    else if (!items->is_object())
        f.fail(Fields::typeError(*items, "Map", "RequestItems"));
    if (!f.ok())
        return errorResponse(f.status());
    for (const auto& [tableName, list] : items->get_object()) {
        if (!list.is_array())
            return errorResponse(Fields::typeError(list, "List", "RequestItems." + std::string(tableName)));
        std::vector<WriteRequest> writes;
        std::size_t index = 0;
        for (const auto& entry : list.get_array()) {
            const std::string field = "RequestItems." + std::string(tableName) + "[" + std::to_string(index++) + "]";
            const auto* o = entry.is_object() ? &entry.get_object() : nullptr;
            const auto* put = o ? o->if_contains("PutRequest") : nullptr;
            const auto* del = o ? o->if_contains("DeleteRequest") : nullptr;
            if ((put != nullptr) == (del != nullptr))
                return errorResponse(Status::validation(
                    "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest (at " + field + ")"));
            const auto* inner = put ? put : del;
            const auto* value = inner->is_object() ? inner->get_object().if_contains(put ? "Item" : "Key") : nullptr;
            if (!value)
                return errorResponse(Status::validation("1 validation error detected: Value null at '" + field
                    + (put ? ".putRequest.item" : ".deleteRequest.key") + "' failed to satisfy constraint: Member must not be null"));
            auto decoded = itemFromJson(*value, field + (put ? ".PutRequest.Item" : ".DeleteRequest.Key"));
            if (!decoded)
                return errorResponse(decoded.status());
            writes.push_back({ put != nullptr, std::move(decoded).value() });
        }
        r.requestItems.emplace_back(std::string(tableName), std::move(writes));
    }
    auto response = engine.batchWriteItem(r);
    if (!response.status)
        return errorResponse(response.status);
    json::object out;
    json::object unprocessed;
    for (const auto& [tableName, writes] : response.unprocessedItems) {
        json::array a;
        for (const auto& w : writes)
            a.push_back(w.isPut ? json::object { { "PutRequest", json::object { { "Item", itemToJson(w.item) } } } }
                                : json::object { { "DeleteRequest", json::object { { "Key", itemToJson(w.item) } } } });
        unprocessed[tableName] = std::move(a);
    }
    out["UnprocessedItems"] = std::move(unprocessed);
    addCapacityList(out, response.consumed, mode);
    return withConsumed(ok(std::move(out)), response.consumed);
}

} // namespace capsim::wire

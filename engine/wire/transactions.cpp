// The wire handlers of TransactWriteItems and TransactGetItems.

#include "engine/wire/handlers.h"

#include "engine/json_codec.h"
#include "engine/wire/common.h"

#include <utility>

namespace capsim::wire {

WireResponse transactWriteItems(Engine& engine, Fields& f, EngineTime now)
{
    TransactWriteItemsRequest r;
    const auto mode = returnCapacity(f);
    returnCollectionMetrics(f);
    r.clientRequestToken = f.string("ClientRequestToken");
    const auto* items = f.find("TransactItems");
    if (!items)
        f.missing("TransactItems");
    else if (!items->is_array())
        f.fail(Fields::typeError(*items, "List", "TransactItems"));
    if (!f.ok())
        return errorResponse(f.status());
    using Type = TransactWriteAction::Type;
    static const std::pair<const char*, Type> kActions[] = { { "ConditionCheck", Type::ConditionCheck },
        { "Put", Type::Put }, { "Update", Type::Update }, { "Delete", Type::Delete } };
    std::size_t index = 0;
    for (const auto& entry : items->get_array()) {
        const std::string field = "TransactItems[" + std::to_string(index++) + "]";
        const auto* o = entry.is_object() ? &entry.get_object() : nullptr;
        const json::value* body = nullptr;
        TransactWriteAction action;
        int present = 0;
        for (const auto& [name, type] : kActions) {
            if (const auto* v = o ? o->if_contains(name) : nullptr; v && !v->is_null()) {
                body = v;
                action.type = type;
                ++present;
            }
        }
        if (present != 1)
            return errorResponse(Status::validation("TransactItems can only contain one of Check, Put, Update or "
                                                    "Delete (at "
                + field + ")"));
        if (!body->is_object())
            return errorResponse(Fields::typeError(*body, "Structure", field));
        Fields e(*body);
        action.tableName = requiredTableName(e);
        action.item = e.requiredItem(action.type == Type::Put ? "Item" : "Key");
        action.updateExpression = e.string("UpdateExpression");
        action.conditionExpression = e.string("ConditionExpression");
        action.expressionAttributes = e.expressionInput();
        action.returnOldOnConditionFailure = returnOldOnFailure(e);
        if (!e.ok())
            return errorResponse(Status(e.status().type(), e.status().message() + " (at " + field + ")"));
        r.actions.push_back(std::move(action));
    }
    auto response = engine.transactWriteItems(r, now);
    if (!response.status) {
        WireResponse error = errorResponse(response.status);
        if (!response.cancellationReasons.empty()) {
            json::array reasons;
            for (const auto& reason : response.cancellationReasons) {
                json::object o { { "Code", reason.code } };
                if (!reason.message.empty())
                    o["Message"] = reason.message;
                if (reason.item)
                    o["Item"] = itemToJson(*reason.item);
                reasons.push_back(std::move(o));
            }
            error.body.as_object()["CancellationReasons"] = std::move(reasons);
        }
        return withConsumed(std::move(error), response.consumed);
    }
    json::object out;
    addCapacityList(out, response.consumed, mode);
    return withConsumed(ok(std::move(out)), response.consumed);
}

WireResponse transactGetItems(Engine& engine, Fields& f, EngineTime)
{
    TransactGetItemsRequest r;
    const auto mode = returnCapacity(f);
    const auto* items = f.find("TransactItems");
    if (!items)
        f.missing("TransactItems");
    else if (!items->is_array())
        f.fail(Fields::typeError(*items, "List", "TransactItems"));
    if (!f.ok())
        return errorResponse(f.status());
    std::size_t index = 0;
    for (const auto& entry : items->get_array()) {
        const std::string field = "TransactItems[" + std::to_string(index++) + "]";
        const auto* get = entry.is_object() ? entry.get_object().if_contains("Get") : nullptr;
        if (!get || !get->is_object())
            return errorResponse(Status::validation("1 validation error detected: Value null at 'transactItems."
                + std::to_string(index) + ".member.get' failed to satisfy constraint: Member must not be null"));
        Fields e(*get);
        TransactGetAction action;
        action.tableName = requiredTableName(e);
        action.key = e.requiredItem("Key");
        action.projectionExpression = e.string("ProjectionExpression");
        action.expressionAttributeNames = e.names(e.find("ExpressionAttributeNames"), "ExpressionAttributeNames");
        if (!e.ok())
            return errorResponse(Status(e.status().type(), e.status().message() + " (at " + field + ")"));
        r.gets.push_back(std::move(action));
    }
    auto response = engine.transactGetItems(r);
    if (!response.status)
        return withConsumed(errorResponse(response.status), response.consumed);
    json::object out;
    json::array responses;
    for (const auto& item : response.items) {
        json::object o;
        if (item)
            o["Item"] = itemToJson(*item);
        responses.push_back(std::move(o));
    }
    out["Responses"] = std::move(responses);
    addCapacityList(out, response.consumed, mode);
    return withConsumed(ok(std::move(out)), response.consumed);
}

} // namespace capsim::wire

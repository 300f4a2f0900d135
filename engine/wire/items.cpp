// The wire handlers of GetItem, PutItem, UpdateItem and DeleteItem.

#include "engine/wire/handlers.h"

#include "engine/json_codec.h"
#include "engine/wire/common.h"
#include "engine/wire/legacy.h"

namespace capsim::wire {

namespace {

// Expected and ConditionalOperator of PutItem and DeleteItem, as their ConditionExpression.
template <typename Request>
void readLegacyCondition(Fields& f, Request& r)
{
    if (f.ok())
        f.fail(LegacyTranslator::checkMixing(f, { "Expected", "ConditionalOperator" }, { "ConditionExpression" }));
    if (f.ok() && (f.find("Expected") || f.find("ConditionalOperator"))) {
        LegacyTranslator legacy(r.expressionAttributes);
        r.conditionExpression = legacy.condition(f);
        r.expressionAttributes = legacy.input();
    }
}

} // namespace

WireResponse getItem(Engine& engine, Fields& f, EngineTime)
{
    GetItemRequest r;
    r.tableName = requiredTableName(f);
    r.key = f.requiredItem("Key");
    r.consistentRead = f.boolean("ConsistentRead").value_or(false);
    r.projectionExpression = f.string("ProjectionExpression");
    r.expressionAttributes.names = f.names(f.find("ExpressionAttributeNames"), "ExpressionAttributeNames");
    const auto mode = returnCapacity(f);
    if (f.ok())
        f.fail(LegacyTranslator::checkMixing(f, { "AttributesToGet" }, { "ProjectionExpression" }));
    if (f.ok() && f.find("AttributesToGet")) {
        LegacyTranslator legacy(r.expressionAttributes);
        r.projectionExpression = legacy.projection(f);
        r.expressionAttributes = legacy.input();
    }
    if (!f.ok())
        return errorResponse(f.status());
    auto response = engine.getItem(r);
    if (!response.status)
        return withConsumed(errorResponse(response.status), { response.consumed });
    json::object out;
    if (response.item)
        out["Item"] = itemToJson(*response.item);
    addCapacity(out, response.consumed, mode);
    return withConsumed(ok(std::move(out)), { response.consumed });
}

WireResponse putItem(Engine& engine, Fields& f, EngineTime)
{
    PutItemRequest r;
    r.tableName = requiredTableName(f);
    r.item = f.requiredItem("Item");
    readWriteFields(f, r);
    const auto mode = returnCapacity(f);
    readLegacyCondition(f, r);
    if (!f.ok())
        return errorResponse(f.status());
    return writeResult(engine.putItem(r), mode);
}

WireResponse updateItem(Engine& engine, Fields& f, EngineTime)
{
    UpdateItemRequest r;
    r.tableName = requiredTableName(f);
    r.key = f.requiredItem("Key");
    r.updateExpression = f.string("UpdateExpression");
    readWriteFields(f, r);
    const auto mode = returnCapacity(f);
    if (f.ok())
        f.fail(LegacyTranslator::checkMixing(f, { "AttributeUpdates", "Expected", "ConditionalOperator" },
            { "UpdateExpression", "ConditionExpression" }));
    if (f.ok() && (f.find("AttributeUpdates") || f.find("Expected") || f.find("ConditionalOperator"))) {
        LegacyTranslator legacy(r.expressionAttributes);
        r.updateExpression = legacy.update(f);
        r.conditionExpression = legacy.condition(f);
        r.expressionAttributes = legacy.input();
    }
    if (!f.ok())
        return errorResponse(f.status());
    return writeResult(engine.updateItem(r), mode);
}

WireResponse deleteItem(Engine& engine, Fields& f, EngineTime)
{
    DeleteItemRequest r;
    r.tableName = requiredTableName(f);
    r.key = f.requiredItem("Key");
    readWriteFields(f, r);
    const auto mode = returnCapacity(f);
    readLegacyCondition(f, r);
    if (!f.ok())
        return errorResponse(f.status());
    return writeResult(engine.deleteItem(r), mode);
}

} // namespace capsim::wire

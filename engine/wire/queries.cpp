// The wire handlers of Query and Scan.

#include "engine/wire/handlers.h"

#include "engine/json_codec.h"
#include "engine/wire/common.h"
#include "engine/wire/legacy.h"

namespace capsim::wire {

WireResponse query(Engine& engine, Fields& f, EngineTime)
{
    QueryRequest r;
    r.tableName = requiredTableName(f);
    r.indexName = f.string("IndexName");
    r.keyConditionExpression = f.string("KeyConditionExpression").value_or("");
    r.filterExpression = f.string("FilterExpression");
    r.projectionExpression = f.string("ProjectionExpression");
    r.expressionAttributes = f.expressionInput();
    r.consistentRead = f.boolean("ConsistentRead").value_or(false);
    r.scanIndexForward = f.boolean("ScanIndexForward").value_or(true);
    r.limit = f.integer("Limit");
    r.exclusiveStartKey = f.item("ExclusiveStartKey");
    r.select = selectOf(f);
    const auto mode = returnCapacity(f);
    if (f.ok())
        f.fail(LegacyTranslator::checkMixing(f,
            { "AttributesToGet", "KeyConditions", "QueryFilter", "ConditionalOperator" },
            { "KeyConditionExpression", "FilterExpression", "ProjectionExpression" }));
    if (f.ok()
        && (f.find("AttributesToGet") || f.find("KeyConditions") || f.find("QueryFilter")
            || f.find("ConditionalOperator"))) {
        LegacyTranslator legacy(r.expressionAttributes);
        if (f.find("AttributesToGet"))
            r.projectionExpression = legacy.projection(f);
        if (auto key = legacy.keyCondition(f))
            r.keyConditionExpression = *key;
        if (!r.filterExpression)
            r.filterExpression = legacy.filter(f, "QueryFilter");
        r.expressionAttributes = legacy.input();
    }
    if (f.ok() && !f.find("KeyConditionExpression") && !f.find("KeyConditions"))
        f.fail(Status::validation("Either the KeyConditions or KeyConditionExpression parameter must be specified "
                                  "in the request."));
    if (!f.ok())
        return errorResponse(f.status());
    return pageResult(engine.query(r), mode, r.select == Select::Count);
}

WireResponse scan(Engine& engine, Fields& f, EngineTime)
{
    ScanRequest r;
    r.tableName = requiredTableName(f);
    r.indexName = f.string("IndexName");
    r.filterExpression = f.string("FilterExpression");
    r.projectionExpression = f.string("ProjectionExpression");
    r.expressionAttributes = f.expressionInput();
    r.consistentRead = f.boolean("ConsistentRead").value_or(false);
    r.limit = f.integer("Limit");
    r.exclusiveStartKey = f.item("ExclusiveStartKey");
    r.select = selectOf(f);
    r.segment = f.integer("Segment");
    r.totalSegments = f.integer("TotalSegments");
    const auto mode = returnCapacity(f);
    if (f.ok())
        f.fail(LegacyTranslator::checkMixing(f, { "AttributesToGet", "ScanFilter", "ConditionalOperator" },
            { "FilterExpression", "ProjectionExpression" }));
    if (f.ok() && (f.find("AttributesToGet") || f.find("ScanFilter") || f.find("ConditionalOperator"))) {
        LegacyTranslator legacy(r.expressionAttributes);
        r.projectionExpression = legacy.projection(f);
        r.filterExpression = legacy.filter(f, "ScanFilter");
        r.expressionAttributes = legacy.input();
    }
    if (!f.ok())
        return errorResponse(f.status());
    return pageResult(engine.scan(r), mode, r.select == Select::Count);
}

} // namespace capsim::wire

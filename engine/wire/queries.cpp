// The wire handlers of Query and Scan.

#include "engine/wire/handlers.h"

#include "engine/json_codec.h"
#include "engine/wire/common.h"

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
    f.rejectLegacy({ "KeyConditions", "QueryFilter", "AttributesToGet", "ConditionalOperator" });
    if (f.ok() && !f.find("KeyConditionExpression"))
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
    f.rejectLegacy({ "ScanFilter", "AttributesToGet", "ConditionalOperator" });
    if (!f.ok())
        return errorResponse(f.status());
    return pageResult(engine.scan(r), mode, r.select == Select::Count);
}

} // namespace capsim::wire

#include "engine/wire/common.h"

#include "engine/json_codec.h"

#include <cmath>

namespace capsim::wire {

WireResponse errorResponse(const Status& status)
{
    WireResponse r;
    r.httpStatus = status.is(error::kInternalServerError) ? 500 : 400;
    r.errorType = status.type();
    r.body = json::object { { "__type", "com.amazonaws.dynamodb.v20120810#" + status.type() },
        { "message", status.message() } };
    return r;
}

json::value capacityJson(const ConsumedCapacity& c, ReturnCapacity mode)
{
    json::object o;
    o["TableName"] = c.tableName;
    const CapacityUnits total = c.total();
    o["CapacityUnits"] = total.total();
    o["ReadCapacityUnits"] = total.read;
    o["WriteCapacityUnits"] = total.write;
    if (mode == ReturnCapacity::Indexes) {
        o["Table"] = json::object { { "CapacityUnits", c.table.total() }, { "ReadCapacityUnits", c.table.read },
            { "WriteCapacityUnits", c.table.write } };
        for (const auto& [key, indexes] : { std::pair { "GlobalSecondaryIndexes", &c.globalSecondaryIndexes },
                 std::pair { "LocalSecondaryIndexes", &c.localSecondaryIndexes } }) {
            if (indexes->empty())
                continue;
            json::object m;
            for (const auto& [name, units] : *indexes)
                m[name] = json::object { { "CapacityUnits", units.total() }, { "ReadCapacityUnits", units.read },
                    { "WriteCapacityUnits", units.write } };
            o[key] = std::move(m);
        }
    }
    return o;
}

void addCapacity(json::object& out, const ConsumedCapacity& c, ReturnCapacity mode)
{
    if (mode != ReturnCapacity::None)
        out["ConsumedCapacity"] = capacityJson(c, mode);
}

void addCapacityList(json::object& out, const std::vector<ConsumedCapacity>& list, ReturnCapacity mode)
{
    if (mode == ReturnCapacity::None)
        return;
    json::array a;
    for (const auto& c : list)
        a.push_back(capacityJson(c, mode));
    out["ConsumedCapacity"] = std::move(a);
}

double epochSeconds(EngineTime t)
{
    return static_cast<double>(t) / static_cast<double>(kMicrosPerSecond);
}

WireResponse ok(json::object body)
{
    WireResponse r;
    r.body = std::move(body);
    return r;
}

WireResponse withConsumed(WireResponse response, std::vector<ConsumedCapacity> consumed)
{
    response.consumed = std::move(consumed);
    return response;
}

WireResponse writeResult(const WriteResponse& response, ReturnCapacity mode)
{
    if (!response.status) {
        WireResponse error = errorResponse(response.status);
        if (response.conditionFailureItem)
            error.body.as_object()["Item"] = itemToJson(*response.conditionFailureItem);
        return withConsumed(std::move(error), { response.consumed });
    }
    json::object out;
    if (response.attributes)
        out["Attributes"] = itemToJson(*response.attributes);
    addCapacity(out, response.consumed, mode);
    if (response.itemCollectionMetrics) {
        const auto& m = *response.itemCollectionMetrics;
        out["ItemCollectionMetrics"] = json::object { { "ItemCollectionKey", itemToJson(m.itemCollectionKey) },
            { "SizeEstimateRangeGB", json::array { m.sizeEstimateLowGb, m.sizeEstimateHighGb } } };
    }
    return withConsumed(ok(std::move(out)), { response.consumed });
}

WireResponse pageResult(const ReadPageResponse& response, ReturnCapacity mode, bool countOnly)
{
    if (!response.status)
        return withConsumed(errorResponse(response.status), { response.consumed });
    json::object out;
    if (!countOnly) {
        json::array items;
        for (const auto& item : response.items)
            items.push_back(itemToJson(item));
        out["Items"] = std::move(items);
    }
    out["Count"] = response.count;
    out["ScannedCount"] = response.scannedCount;
    if (response.lastEvaluatedKey)
        out["LastEvaluatedKey"] = itemToJson(*response.lastEvaluatedKey);
    addCapacity(out, response.consumed, mode);
    return withConsumed(ok(std::move(out)), { response.consumed });
}

Status nullField(const std::string& path)
{
    return Status::validation(
        "1 validation error detected: Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
}

std::optional<EngineTime> timestampField(Fields& f, const char* name)
{
    const auto* v = f.find(name);
    if (!v)
        return std::nullopt;
    if (!v->is_number()) {
        f.fail(Fields::typeError(*v, "Timestamp", name));
        return std::nullopt;
    }
    return static_cast<EngineTime>(std::llround(v->to_number<double>() * static_cast<double>(kMicrosPerSecond)));
}

} // namespace capsim::wire

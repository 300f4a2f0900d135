#include "engine/wire/fields.h"

#include <cctype>

namespace capsim::wire {

std::string lowerFirst(std::string_view name)
{
    std::string out(name);
    if (!out.empty())
        out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
    return out;
}

std::string requiredTableName(Fields& f)
{
    return f.requiredString("TableName");
}

ReturnCapacity returnCapacity(Fields& f)
{
    return f
        .enumeration<ReturnCapacity>("ReturnConsumedCapacity",
            { { "INDEXES", ReturnCapacity::Indexes }, { "TOTAL", ReturnCapacity::Total }, { "NONE", ReturnCapacity::None } })
        .value_or(ReturnCapacity::None);
}

std::optional<ReturnValues> returnValues(Fields& f)
{
    return f.enumeration<ReturnValues>("ReturnValues",
        { { "NONE", ReturnValues::None }, { "ALL_OLD", ReturnValues::AllOld }, { "UPDATED_OLD", ReturnValues::UpdatedOld },
            { "ALL_NEW", ReturnValues::AllNew }, { "UPDATED_NEW", ReturnValues::UpdatedNew } });
}

bool returnOldOnFailure(Fields& f)
{
    return f.enumeration<bool>("ReturnValuesOnConditionCheckFailure", { { "ALL_OLD", true }, { "NONE", false } })
        .value_or(false);
}

bool returnCollectionMetrics(Fields& f)
{
    return f.enumeration<bool>("ReturnItemCollectionMetrics", { { "SIZE", true }, { "NONE", false } }).value_or(false);
}

std::optional<Select> selectOf(Fields& f)
{
    return f.enumeration<Select>("Select",
        { { "ALL_ATTRIBUTES", Select::AllAttributes }, { "ALL_PROJECTED_ATTRIBUTES", Select::AllProjectedAttributes },
            { "SPECIFIC_ATTRIBUTES", Select::SpecificAttributes }, { "COUNT", Select::Count } });
}

void readThroughput(Fields& f, std::optional<std::int64_t>& read, std::optional<std::int64_t>& write)
{
    const auto* pt = f.find("ProvisionedThroughput");
    if (!pt)
        return;
    if (!pt->is_object()) {
        f.fail(Fields::typeError(*pt, "ProvisionedThroughput", "ProvisionedThroughput"));
        return;
    }
    const auto& o = pt->get_object();
    const auto* r = o.if_contains("ReadCapacityUnits");
    const auto* w = o.if_contains("WriteCapacityUnits");
    if (!r || !w) {
        f.fail(Status::validation(std::string("1 validation error detected: Value null at 'provisionedThroughput.")
            + (r ? "writeCapacityUnits" : "readCapacityUnits") + "' failed to satisfy constraint: Member must not be null"));
        return;
    }
    read = f.integer("ProvisionedThroughput.ReadCapacityUnits", r);
    write = f.integer("ProvisionedThroughput.WriteCapacityUnits", w);
}

std::vector<AccessResource> accessResources(const json::value& request)
{
    std::vector<AccessResource> out;
    auto add = [&](const json::value* table, const json::value* index) {
        if (!table || !table->is_string())
            return;
        AccessResource resource { std::string(table->get_string()), {} };
        if (index && index->is_string())
            resource.indexName = std::string(index->get_string());
        out.push_back(std::move(resource));
    };
    if (!request.is_object())
        return out;
    const json::object& o = request.get_object();
    add(o.if_contains("TableName"), o.if_contains("IndexName"));
    if (const auto* items = o.if_contains("RequestItems"); items && items->is_object()) {
        for (const auto& [tableName, entry] : items->get_object())
            out.push_back({ std::string(tableName), {} });
    }
    if (const auto* items = o.if_contains("TransactItems"); items && items->is_array()) {
        for (const auto& entry : items->get_array()) {
            if (!entry.is_object())
                continue;
            for (const auto& [kind, action] : entry.get_object())
                if (action.is_object())
                    add(action.get_object().if_contains("TableName"), nullptr);
        }
    }
    return out;
}

} // namespace capsim::wire

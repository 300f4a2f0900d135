// The wire handlers of TagResource, UntagResource, ListTagsOfResource (tags kept with the table,
// engine/control_plane.cpp), DescribeLimits (engine/quotas.h) and DescribeEndpoints.

#include "engine/wire/handlers.h"

#include "engine/quotas.h"
#include "engine/wire/common.h"

namespace capsim::wire {

namespace {

// The table a ResourceArn names (arn:aws:dynamodb:<region>:<account>:table/<name>) in the
// engine's region, or the error DynamoDB answers for it.
Result<std::string> tableOfArn(const Engine& engine, const std::string& arn)
{
    const std::string prefix = "arn:aws:dynamodb:";
    const auto tableAt = arn.find(":table/");
    if (arn.rfind(prefix, 0) != 0 || tableAt == std::string::npos)
        return Status::validation("Invalid ResourceArn provided as input " + arn);
    const std::string region = arn.substr(prefix.size(), arn.find(':', prefix.size()) - prefix.size());
    const std::string name = arn.substr(tableAt + 7);
    if (name.empty() || name.find('/') != std::string::npos)
        return Status::validation("Invalid ResourceArn provided as input " + arn);
    auto table = engine.describeTable(name);
    if (region != engine.region() || !table || table->isCreating())
        return Status::notFound("Requested resource not found: ResourceArn: " + arn + " not found");
    return name;
}

// ResourceArn, required, and the table it names.
Result<std::string> resourceTable(const Engine& engine, Fields& f)
{
    const std::string arn = f.requiredString("ResourceArn");
    if (!f.ok())
        return f.status();
    return tableOfArn(engine, arn);
}

} // namespace

WireResponse tagResource(Engine& engine, Fields& f, EngineTime)
{
    auto table = resourceTable(engine, f);
    if (!table)
        return errorResponse(table.status());
    const auto* list = f.find("Tags");
    if (!list)
        return errorResponse(nullField("tags"));
    if (!list->is_array())
        return errorResponse(Fields::typeError(*list, "List", "Tags"));
    std::vector<std::pair<std::string, std::string>> tags;
    for (std::size_t i = 0; i < list->get_array().size(); ++i) {
        Fields tag(list->get_array()[i]);
        const std::string at = "tags." + std::to_string(i + 1) + ".member.";
        auto key = tag.string("Key");
        auto value = tag.string("Value");
        if (!tag.ok())
            return errorResponse(tag.status());
        if (!key)
            return errorResponse(nullField(at + "key"));
        if (!value)
            return errorResponse(nullField(at + "value"));
        tags.emplace_back(*key, *value);
    }
    if (Status s = engine.tagTable(*table, tags); !s)
        return errorResponse(s);
    return ok({});
}

WireResponse untagResource(Engine& engine, Fields& f, EngineTime)
{
    auto table = resourceTable(engine, f);
    if (!table)
        return errorResponse(table.status());
    const auto* list = f.find("TagKeys");
    if (!list)
        return errorResponse(nullField("tagKeys"));
    if (!list->is_array())
        return errorResponse(Fields::typeError(*list, "List", "TagKeys"));
    std::vector<std::string> keys;
    for (const auto& key : list->get_array()) {
        if (!key.is_string())
            return errorResponse(Fields::typeError(key, "String", "TagKeys"));
        keys.emplace_back(key.get_string());
    }
    if (Status s = engine.untagTable(*table, keys); !s)
        return errorResponse(s);
    return ok({});
}

WireResponse listTagsOfResource(Engine& engine, Fields& f, EngineTime)
{
    auto table = resourceTable(engine, f);
    if (!table)
        return errorResponse(table.status());
    auto state = engine.describeTable(*table);
    if (!state)
        return errorResponse(state.status());
    json::array tags;
    for (const auto& [key, value] : state->tags)
        tags.push_back(json::object { { "Key", key }, { "Value", value } });
    return ok({ { "Tags", std::move(tags) } });
}

WireResponse describeLimits(Engine&, Fields&, EngineTime)
{
    // The default account and table quotas (reference 3.6).
    return ok(
        { { "AccountMaxReadCapacityUnits", kAccountQuotaUnits }, { "AccountMaxWriteCapacityUnits", kAccountQuotaUnits },
            { "TableMaxReadCapacityUnits", kTableQuotaUnits }, { "TableMaxWriteCapacityUnits", kTableQuotaUnits } });
}

WireResponse describeEndpoints(Engine& engine, Fields&, EngineTime)
{
    return ok({ { "Endpoints",
        json::array { json::object {
            { "Address", "dynamodb." + engine.region() + ".amazonaws.com" }, { "CachePeriodInMinutes", 1440 } } } } });
}

} // namespace capsim::wire

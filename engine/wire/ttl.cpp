// The wire handlers of UpdateTimeToLive and DescribeTimeToLive (reference A6).

#include "engine/wire/handlers.h"

#include "engine/wire/common.h"

namespace capsim::wire {

namespace {

constexpr std::size_t kAttributeNameMaxLength = 255;

Status nullAt(const std::string& path)
{
    return Status::validation(
        "1 validation error detected: Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
}

// TimeToLiveSpecification: Enabled and AttributeName (1 to 255 characters), both required.
Status specificationFrom(Fields& f, TimeToLiveSpecification& out)
{
    const auto* v = f.find("TimeToLiveSpecification");
    if (!v)
        return nullAt("timeToLiveSpecification");
    if (!v->is_object())
        return Fields::typeError(*v, "Structure", "TimeToLiveSpecification");
    Fields spec(*v);
    const auto enabled = spec.boolean("Enabled");
    const auto name = spec.string("AttributeName");
    if (!spec.ok())
        return spec.status();
    if (!enabled)
        return nullAt("timeToLiveSpecification.enabled");
    if (!name)
        return nullAt("timeToLiveSpecification.attributeName");
    if (name->empty() || name->size() > kAttributeNameMaxLength)
        return Status::validation("1 validation error detected: Value '" + *name
            + "' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length "
            + (name->empty() ? "greater than or equal to 1" : "less than or equal to 255"));
    out.enabled = *enabled;
    out.attributeName = *name;
    return Status::ok();
}

} // namespace

WireResponse updateTimeToLive(Engine& engine, Fields& f, EngineTime now)
{
    const std::string name = requiredTableName(f);
    if (!f.ok())
        return errorResponse(f.status());
    TimeToLiveSpecification spec;
    if (Status s = specificationFrom(f, spec); !s)
        return errorResponse(s);
    auto accepted = engine.updateTimeToLive(name, spec, now);
    if (!accepted)
        return errorResponse(accepted.status());
    return ok(json::object { { "TimeToLiveSpecification",
        json::object { { "Enabled", accepted->enabled }, { "AttributeName", accepted->attributeName } } } });
}

WireResponse describeTimeToLive(Engine& engine, Fields& f, EngineTime now)
{
    const std::string name = requiredTableName(f);
    if (!f.ok())
        return errorResponse(f.status());
    auto described = engine.describeTimeToLive(name, now);
    if (!described)
        return errorResponse(described.status());
    json::object description { { "TimeToLiveStatus", described->status } };
    if (described->attributeName)
        description["AttributeName"] = *described->attributeName;
    return ok(json::object { { "TimeToLiveDescription", std::move(description) } });
}

} // namespace capsim::wire

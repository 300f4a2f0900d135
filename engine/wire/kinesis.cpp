// The wire handlers of EnableKinesisStreamingDestination, DisableKinesisStreamingDestination,
// UpdateKinesisStreamingDestination and DescribeKinesisStreamingDestination (the DynamoDB API's
// shapes; engine/kinesis.h).

#include "engine/wire/handlers.h"

#include "engine/wire/common.h"

namespace capsim::wire {

namespace {

// TableName accepts a table name or its ARN.
std::string tableNameOf(const std::string& nameOrArn)
{
    const auto slash = nameOrArn.rfind(":table/");
    return nameOrArn.starts_with("arn:") && slash != std::string::npos ? nameOrArn.substr(slash + 7) : nameOrArn;
}

struct DestinationRequest {
    std::string tableName;
    std::string streamArn;
    std::optional<std::string> precision;
};

// TableName, StreamArn and the optional configuration structure `configuration`.
Status destinationRequestFrom(Fields& f, const char* configuration, DestinationRequest& r)
{
    const auto table = f.string("TableName");
    const auto stream = f.string("StreamArn");
    CAPSIM_RETURN_IF_ERROR(f.status());
    if (!table)
        return nullField("tableName");
    if (!stream)
        return nullField("streamArn");
    r.tableName = tableNameOf(*table);
    r.streamArn = *stream;
    if (configuration) {
        if (const auto* c = f.find(configuration)) {
            if (!c->is_object())
                return Fields::typeError(*c, "Structure", configuration);
            Fields cf(*c);
            r.precision = cf.string("ApproximateCreationDateTimePrecision");
            CAPSIM_RETURN_IF_ERROR(cf.status());
        }
    }
    return Status::ok();
}

json::object answer(const KinesisDestination& d, EngineTime now)
{
    return json::object { { "TableName", d.tableName }, { "StreamArn", d.streamArn },
        { "DestinationStatus", kinesisDestinationStatusName(d.statusAt(now)) } };
}

// Enable/Disable/Update's response: the destination and the configuration member `configuration`.
WireResponse destinationResponse(const Result<KinesisDestination>& d, const char* configuration, EngineTime now)
{
    if (!d)
        return errorResponse(d.status());
    json::object out = answer(*d, now);
    out[configuration] = json::object { { "ApproximateCreationDateTimePrecision", d->precision } };
    return ok(std::move(out));
}

} // namespace

WireResponse enableKinesisStreamingDestination(Engine& engine, Fields& f, EngineTime now)
{
    DestinationRequest r;
    if (Status s = destinationRequestFrom(f, "EnableKinesisStreamingConfiguration", r); !s)
        return errorResponse(s);
    return destinationResponse(engine.enableKinesisStreamingDestination(r.tableName, r.streamArn, r.precision, now), "EnableKinesisStreamingConfiguration", now);
}

WireResponse disableKinesisStreamingDestination(Engine& engine, Fields& f, EngineTime now)
{
    DestinationRequest r;
    if (Status s = destinationRequestFrom(f, "EnableKinesisStreamingConfiguration", r); !s)
        return errorResponse(s);
    return destinationResponse(engine.disableKinesisStreamingDestination(r.tableName, r.streamArn, now), "EnableKinesisStreamingConfiguration", now);
}

WireResponse updateKinesisStreamingDestination(Engine& engine, Fields& f, EngineTime now)
{
    DestinationRequest r;
    if (Status s = destinationRequestFrom(f, "UpdateKinesisStreamingConfiguration", r); !s)
        return errorResponse(s);
    if (!r.precision)
        return errorResponse(nullField("updateKinesisStreamingConfiguration.approximateCreationDateTimePrecision"));
    return destinationResponse(engine.updateKinesisStreamingDestination(r.tableName, r.streamArn, *r.precision, now), "UpdateKinesisStreamingConfiguration", now);
}

WireResponse describeKinesisStreamingDestination(Engine& engine, Fields& f, EngineTime now)
{
    const std::string table = f.requiredString("TableName");
    if (!f.ok())
        return errorResponse(f.status());
    const std::string name = tableNameOf(table);
    auto list = engine.describeKinesisStreamingDestination(name);
    if (!list)
        return errorResponse(list.status());
    json::array destinations;
    for (const auto& d : *list)
        destinations.push_back(json::object { { "StreamArn", d.streamArn },
            { "DestinationStatus", kinesisDestinationStatusName(d.statusAt(now)) },
            { "ApproximateCreationDateTimePrecision", d.precision } });
    return ok(json::object { { "TableName", name }, { "KinesisDataStreamDestinations", std::move(destinations) } });
}

} // namespace capsim::wire

// The wire handlers of the DynamoDB Streams API (X-Amz-Target DynamoDBStreams_20120810.*):
// ListStreams, DescribeStream, GetShardIterator and GetRecords, and the StreamSpecification
// field of CreateTable and UpdateTable (reference A7).

#include "engine/wire/handlers.h"

#include "engine/json_codec.h"
#include "engine/wire/common.h"

namespace capsim::wire {

namespace {

json::array keySchemaJson(const KeySchema& key)
{
    json::array out;
    out.push_back(json::object { { "AttributeName", key.partition.name }, { "KeyType", "HASH" } });
    if (key.sort)
        out.push_back(json::object { { "AttributeName", key.sort->name }, { "KeyType", "RANGE" } });
    return out;
}

// Ordinal of a shard id (its last 8 hex digits, reference A7), for ExclusiveStartShardId.
std::optional<std::int64_t> shardOrdinalOf(const std::string& shardId)
{
    const auto dash = shardId.rfind('-');
    if (dash == std::string::npos || dash + 9 != shardId.size())
        return std::nullopt;
    std::int64_t n = 0;
    for (std::size_t i = dash + 1; i < shardId.size(); ++i) {
        const char c = shardId[i];
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0)
            return std::nullopt;
        n = n * 16 + digit;
    }
    return n;
}

Status limitError(std::int64_t value, std::int64_t max)
{
    return Status::validation("1 validation error detected: Value '" + std::to_string(value)
        + "' at 'limit' failed to satisfy constraint: Member must have value "
        + (value < 1 ? std::string("greater than or equal to 1") : "less than or equal to " + std::to_string(max)));
}

} // namespace

Status streamSpecificationOf(Fields& f, std::optional<StreamSpecification>& out)
{
    const auto* spec = f.find("StreamSpecification");
    if (!spec)
        return Status::ok();
    if (!spec->is_object())
        return Fields::typeError(*spec, "StreamSpecification", "StreamSpecification");
    Fields s(*spec);
    const auto enabled = s.boolean("StreamEnabled");
    const auto viewType = s.enumeration<StreamViewType>("StreamViewType",
        { { "NEW_IMAGE", StreamViewType::NewImage }, { "OLD_IMAGE", StreamViewType::OldImage },
            { "NEW_AND_OLD_IMAGES", StreamViewType::NewAndOldImages }, { "KEYS_ONLY", StreamViewType::KeysOnly } });
    if (!s.ok()) {
        Status status = s.status();
        // Field paths inside the structure are reported under it, as DynamoDB does.
        std::string message = status.message();
        if (const auto at = message.find("at 'streamViewType'"); at != std::string::npos)
            message.replace(at, 19, "at 'streamSpecification.streamViewType'");
        return Status(status.type(), message);
    }
    if (!enabled)
        return Status::validation("1 validation error detected: Value null at 'streamSpecification.streamEnabled' "
                                  "failed to satisfy constraint: Member must not be null");
    out = StreamSpecification { *enabled, viewType };
    return Status::ok();
}

WireResponse listStreams(Engine& engine, Fields& f, EngineTime)
{
    const auto tableName = f.string("TableName");
    const auto start = f.string("ExclusiveStartStreamArn");
    const auto limit = f.integer("Limit");
    if (!f.ok())
        return errorResponse(f.status());
    auto result = engine.listStreams(tableName, start, limit);
    if (!result)
        return errorResponse(result.status());
    json::array streams;
    for (const auto& s : result->streams)
        streams.push_back(json::object { { "StreamArn", s.streamArn }, { "TableName", s.tableName },
            { "StreamLabel", s.streamLabel } });
    json::object out { { "Streams", std::move(streams) } };
    if (result->lastEvaluatedStreamArn)
        out["LastEvaluatedStreamArn"] = *result->lastEvaluatedStreamArn;
    return ok(std::move(out));
}

WireResponse describeStream(Engine& engine, Fields& f, EngineTime)
{
    const std::string arn = f.requiredString("StreamArn");
    const auto start = f.string("ExclusiveStartShardId");
    const auto limit = f.integer("Limit");
    if (!f.ok())
        return errorResponse(f.status());
    const std::int64_t pageSize = limit.value_or(kStreamsMaxLimit);
    if (pageSize < 1 || pageSize > kStreamsMaxLimit)
        return errorResponse(limitError(pageSize, kStreamsMaxLimit));
    auto d = engine.describeStream(arn);
    if (!d)
        return errorResponse(d.status());
    const std::int64_t after = start ? shardOrdinalOf(*start).value_or(0) : 0;
    json::array shards;
    std::optional<std::string> lastEvaluated;
    for (const auto& shard : d->shards) {
        if (shard.ordinal <= after)
            continue;
        if (static_cast<std::int64_t>(shards.size()) == pageSize) {
            lastEvaluated = std::string(shards.back().as_object().at("ShardId").as_string());
            break;
        }
        json::object range { { "StartingSequenceNumber", sequenceNumberText(shard.startingSequence) } };
        if (shard.endingSequence)
            range["EndingSequenceNumber"] = sequenceNumberText(*shard.endingSequence);
        json::object s { { "ShardId", shard.shardId }, { "SequenceNumberRange", std::move(range) } };
        if (shard.parentShardId)
            s["ParentShardId"] = *shard.parentShardId;
        shards.push_back(std::move(s));
    }
    json::object description { { "StreamArn", d->streamArn }, { "StreamLabel", d->streamLabel },
        { "StreamStatus", streamStatusName(d->status) }, { "StreamViewType", streamViewTypeName(d->viewType) },
        { "CreationRequestDateTime", epochSeconds(d->createdAt) }, { "TableName", d->tableName },
        { "KeySchema", keySchemaJson(d->key) }, { "Shards", std::move(shards) } };
    if (lastEvaluated)
        description["LastEvaluatedShardId"] = *lastEvaluated;
    return ok(json::object { { "StreamDescription", std::move(description) } });
}

WireResponse getShardIterator(Engine& engine, Fields& f, EngineTime now)
{
    const std::string arn = f.requiredString("StreamArn");
    const std::string shardId = f.ok() ? f.requiredString("ShardId") : std::string();
    if (f.ok() && !f.find("ShardIteratorType"))
        f.missing("ShardIteratorType");
    const auto type = f.enumeration<ShardIteratorType>("ShardIteratorType",
        { { "TRIM_HORIZON", ShardIteratorType::TrimHorizon }, { "LATEST", ShardIteratorType::Latest },
            { "AT_SEQUENCE_NUMBER", ShardIteratorType::AtSequenceNumber },
            { "AFTER_SEQUENCE_NUMBER", ShardIteratorType::AfterSequenceNumber } });
    const auto sequenceNumber = f.string("SequenceNumber");
    if (!f.ok())
        return errorResponse(f.status());
    auto iterator = engine.getShardIterator(arn, shardId, *type, sequenceNumber, now);
    if (!iterator)
        return errorResponse(iterator.status());
    return ok(json::object { { "ShardIterator", *iterator } });
}

WireResponse getRecords(Engine& engine, Fields& f, EngineTime now)
{
    const std::string iterator = f.requiredString("ShardIterator");
    const auto limit = f.integer("Limit");
    if (!f.ok())
        return errorResponse(f.status());
    auto result = engine.getRecords(iterator, limit, now);
    if (!result)
        return errorResponse(result.status());
    json::array records;
    for (const auto& r : result->records)
        records.push_back(streamRecordToJson(r));
    json::object out { { "Records", std::move(records) } };
    if (result->nextIterator)
        out["NextShardIterator"] = *result->nextIterator;
    return ok(std::move(out));
}

} // namespace capsim::wire

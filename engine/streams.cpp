// DynamoDB Streams in the engine (reference A7, facts in part C 8): streams enabled and disabled
// by the control plane, shards that follow the table's partitions, one record per item change
// written in the storage transaction of the change (Engine::recordChange), the Streams API's
// reads, and the background work of the clock (rollover, trimming, expiry of disabled streams).

#include "engine/engine.h"

#include "engine/engine_internal.h"
#include "engine/exchange/digests.h"
#include "engine/item_codec.h"
#include "engine/item_size.h"
#include "engine/json_codec.h"
#include "engine/sqlite/stream_store.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace capsim {

using namespace engine_internal;

// ---- pure rules ----

const char* streamViewTypeName(StreamViewType type)
{
    switch (type) {
    case StreamViewType::KeysOnly: return "KEYS_ONLY";
    case StreamViewType::NewImage: return "NEW_IMAGE";
    case StreamViewType::OldImage: return "OLD_IMAGE";
    case StreamViewType::NewAndOldImages: return "NEW_AND_OLD_IMAGES";
    }
    return "";
}

bool parseStreamViewType(std::string_view text, StreamViewType& out)
{
    for (auto t : { StreamViewType::KeysOnly, StreamViewType::NewImage, StreamViewType::OldImage,
             StreamViewType::NewAndOldImages }) {
        if (text == streamViewTypeName(t)) {
            out = t;
            return true;
        }
    }
    return false;
}

const char* streamStatusName(StreamStatus status)
{
    switch (status) {
    case StreamStatus::Enabling: return "ENABLING";
    case StreamStatus::Enabled: return "ENABLED";
    case StreamStatus::Disabling: return "DISABLING";
    case StreamStatus::Disabled: return "DISABLED";
    }
    return "";
}

const char* streamEventNameText(StreamEventName name)
{
    switch (name) {
    case StreamEventName::Insert: return "INSERT";
    case StreamEventName::Modify: return "MODIFY";
    case StreamEventName::Remove: return "REMOVE";
    }
    return "";
}

std::string sequenceNumberText(std::int64_t sequence)
{
    char digits[32];
    std::snprintf(digits, sizeof digits, "1%020" PRId64, sequence);
    return digits;
}

std::optional<std::int64_t> parseSequenceNumber(std::string_view text)
{
    if (text.size() != 21 || text[0] != '1')
        return std::nullopt;
    std::int64_t n = 0;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
        if (n > (INT64_MAX - 9) / 10)
            return std::nullopt;
        n = n * 10 + (text[i] - '0');
    }
    return n;
}

std::string shardIdText(EngineTime openedAt, std::int64_t ordinal)
{
    char text[64];
    std::snprintf(text, sizeof text, "shardId-%020" PRId64 "-%08" PRIx64, openedAt / 1000,
        static_cast<std::uint64_t>(ordinal));
    return text;
}

std::string streamLabelText(EngineTime time)
{
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm); times before the
    // epoch (a simulator's run-relative clock is never negative) clamp to it.
    const std::int64_t millis = std::max<EngineTime>(0, time) / 1000;
    const std::int64_t secondsOfDay = (millis / 1000) % 86400;
    std::int64_t z = millis / 86'400'000 + 719468;
    const std::int64_t era = z / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    char text[96];
    std::snprintf(text, sizeof text, "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02" PRId64 ":%02" PRId64
        ".%03" PRId64, year, month, day, secondsOfDay / 3600, secondsOfDay / 60 % 60, secondsOfDay % 60, millis % 1000);
    return text;
}

namespace {

Status streamNotFound(const std::string& arn)
{
    return Status::notFound("Requested resource not found: Stream: " + arn + " not found");
}

Status shardNotFound(const std::string& shardId)
{
    return Status::notFound("Requested resource not found: Shard: " + shardId + " does not exist");
}

Status trimmed()
{
    return Status(error::kTrimmedDataAccess, "The data you are trying to access has been trimmed");
}

// The iterator is opaque to clients; inside: stream, shard, the position (the last sequence
// before the next record to read) and when it was issued.
constexpr std::string_view kIteratorTag = "capsim-shard-iterator-v1";

struct IteratorState {
    std::string streamArn;
    std::string shardId;
    std::int64_t afterSequence = 0;
    EngineTime issuedAt = 0;
};

std::string encodeIterator(const IteratorState& it)
{
    return base64Encode(std::string(kIteratorTag) + "|" + it.streamArn + "|" + it.shardId + "|"
        + std::to_string(it.afterSequence) + "|" + std::to_string(it.issuedAt));
}

std::optional<IteratorState> decodeIterator(const std::string& text)
{
    std::string plain;
    if (text.empty() || !base64Decode(text, plain))
        return std::nullopt;
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t bar = plain.find('|', start);
        parts.push_back(plain.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos)
            break;
        start = bar + 1;
    }
    if (parts.size() != 5 || parts[0] != kIteratorTag)
        return std::nullopt;
    IteratorState it;
    it.streamArn = parts[1];
    it.shardId = parts[2];
    try {
        std::size_t used = 0;
        it.afterSequence = std::stoll(parts[3], &used);
        if (used != parts[3].size())
            return std::nullopt;
        it.issuedAt = std::stoll(parts[4], &used);
        if (used != parts[4].size())
            return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return it;
}

StreamStatus statusAt(const StreamRow& stream, EngineTime now, EngineTime toggleDelay)
{
    if (stream.disabledAt)
        return now < *stream.disabledAt + toggleDelay ? StreamStatus::Disabling : StreamStatus::Disabled;
    return now < stream.createdAt + toggleDelay ? StreamStatus::Enabling : StreamStatus::Enabled;
}

Result<StreamRecord> recordFrom(const StreamRow& stream, const ShardRow& shard, const RecordRow& row)
{
    StreamRecord r;
    r.sequence = row.sequence;
    r.shardId = shard.shard.shardId;
    r.eventName = row.eventName;
    r.time = row.time;
    auto keys = decodeItem(row.keys);
    if (!keys)
        return keys.status();
    r.keys = std::move(keys).value();
    if (row.newImage) {
        auto image = decodeItem(*row.newImage);
        if (!image)
            return image.status();
        r.newImage = std::move(image).value();
    }
    if (row.oldImage) {
        auto image = decodeItem(*row.oldImage);
        if (!image)
            return image.status();
        r.oldImage = std::move(image).value();
    }
    r.sizeBytes = row.sizeBytes;
    r.viewType = stream.viewType;
    r.byService = row.byService;
    // eventID: hex of the first 16 bytes of SHA-256(StreamArn || SequenceNumber) (reference A7).
    r.eventId = exchange::hexLower(exchange::sha256Digest(stream.arn + sequenceNumberText(row.sequence)).substr(0, 16));
    r.awsRegion = stream.region;
    return r;
}

// The stream `streamArn` and its shard `shardId`, or ResourceNotFoundException naming the missing one.
// With `liveAt`, a disabled stream past its retention counts as missing (GetShardIterator).
Result<std::pair<StreamRow, ShardRow>> streamShard(StreamStore& store, const std::string& streamArn,
    const std::string& shardId, std::optional<EngineTime> liveAt, EngineTime retention)
{
    auto found = store.findStream(streamArn);
    if (!found)
        return found.status();
    if (!*found || (liveAt && (*found)->disabledAt && *(*found)->disabledAt + retention <= *liveAt))
        return streamNotFound(streamArn);
    auto shard = store.findShard((*found)->id, shardId);
    if (!shard)
        return shard.status();
    if (!*shard)
        return shardNotFound(shardId);
    return std::pair<StreamRow, ShardRow>(std::move(**found), std::move(**shard));
}

} // namespace

// ---- control plane ----

Status Engine::planStreamChange(const TableState* current, TableState& next, const StreamSpecification& spec, EngineTime now)
{
    // Part C 8's messages: the view type first (parameter validation), then the table's state.
    if (spec.enabled && !spec.viewType)
        return invalidParameter("If stream is being enabled then UpdateViewType is required");
    if (!spec.enabled && spec.viewType)
        return invalidParameter("If stream is being disabled, then UpdateViewType must not be specified");
    const bool wasEnabled = current && current->stream.enabled;
    if (!current && !spec.enabled)
        return Status::ok(); // CreateTable with a disabled stream: nothing to do
    if (spec.enabled && wasEnabled)
        return Status::validation("Table already has an enabled stream: TableName: " + next.name);
    if (!spec.enabled && !wasEnabled)
        return Status::validation("Table has no stream to disable: TableName: " + next.name);
    if (current && current->isUpdating(now))
        return Status(error::kResourceInUse,
            "Attempt to change a resource which is still in use: Table is being updated: " + next.name);
    next.stream.enabled = spec.enabled;
    next.stream.toggledAt = now;
    if (spec.enabled) {
        // StreamLabel: the request time to the millisecond, +1 ms if equal to the previous
        // (reference A7); also unique among the streams kept of an earlier table of this name.
        EngineTime labelTime = now;
        for (;;) {
            const std::string label = streamLabelText(labelTime);
            const std::string arn = tableArn(next.name) + "/stream/" + label;
            auto existing = m_streamStore->findStream(arn);
            if (!existing)
                return existing.status();
            if (label > next.stream.latestLabel && !*existing) {
                next.stream.latestLabel = label;
                next.stream.latestArn = arn;
                break;
            }
            labelTime += 1000;
        }
        next.stream.viewType = streamViewTypeName(*spec.viewType);
    }
    // ENABLING/DISABLING keep the table UPDATING for model.streamToggleDelay (reference A7).
    if (current && m_streamToggleDelay > 0)
        next.updatingUntil = std::max(next.updatingUntil, now + m_streamToggleDelay);
    return Status::ok();
}

Status Engine::applyStreamChange(const TableState* current, const TableState* next, EngineTime now)
{
    const bool wasEnabled = current && current->stream.enabled;
    const bool isEnabled = next && next->stream.enabled;
    if (!wasEnabled && isEnabled) {
        StreamRow row;
        row.arn = next->stream.latestArn;
        row.label = next->stream.latestLabel;
        row.tableName = next->name;
        row.tableId = next->id;
        parseStreamViewType(next->stream.viewType, row.viewType);
        row.key = next->key;
        row.region = m_region;
        row.createdAt = now;
        CAPSIM_RETURN_IF_ERROR(m_streamStore->createStream(row));
        // Its shards open when the table is saved (syncStreamShards).
        noteStreamWorkDue(now);
        return Status::ok();
    }
    if (wasEnabled && !isEnabled) {
        auto found = m_streamStore->findStream(current->stream.latestArn);
        if (!found)
            return found.status();
        if (!*found)
            return Status::internal("the stream " + current->stream.latestArn + " of table " + current->name + " is missing");
        StreamRow& stream = **found;
        CAPSIM_RETURN_IF_ERROR(rollStreamShards(stream, now));
        // Disable closes every open shard, in key-range order (reference A7).
        auto open = m_streamStore->shards(stream.id, true);
        if (!open)
            return open.status();
        std::sort(open->begin(), open->end(),
            [](const ShardRow& a, const ShardRow& b) { return a.shard.hashLow < b.shard.hashLow; });
        for (auto& shard : *open) {
            shard.shard.endingSequence = ++stream.counter;
            shard.shard.closedAt = now;
            CAPSIM_RETURN_IF_ERROR(m_streamStore->putShard(stream.id, shard));
        }
        stream.disabledAt = now;
        CAPSIM_RETURN_IF_ERROR(m_streamStore->saveStream(stream));
        noteStreamWorkDue(now);
    }
    return Status::ok();
}

Status Engine::syncStreamShards(const TableState& table)
{
    if (!table.stream.enabled)
        return Status::ok();
    auto found = m_streamStore->findStream(table.stream.latestArn);
    if (!found)
        return found.status();
    if (!*found)
        return Status::internal("the stream " + table.stream.latestArn + " of table " + table.name + " is missing");
    StreamRow& stream = **found;
    const EngineTime at = m_now;
    CAPSIM_RETURN_IF_ERROR(rollStreamShards(stream, at));
    auto open = m_streamStore->shards(stream.id, true);
    if (!open)
        return open.status();
    auto sameRange = [](const StreamShard& s, const Partition& p) { return s.hashLow == p.hashLow && s.hashHigh == p.hashHigh; };
    std::vector<ShardRow> closing;
    for (const auto& shard : *open) {
        const bool kept = std::any_of(table.partitions.begin(), table.partitions.end(),
            [&](const Partition& p) { return sameRange(shard.shard, p); });
        if (!kept)
            closing.push_back(shard);
    }
    std::vector<const Partition*> opening;
    for (const auto& p : table.partitions) {
        const bool covered = std::any_of(
            open->begin(), open->end(), [&](const ShardRow& s) { return sameRange(s.shard, p); });
        if (!covered)
            opening.push_back(&p);
    }
    if (closing.empty() && opening.empty())
        return Status::ok();
    // A change of the partition map at one time: the shards that end close in key-range
    // order, then their children open in key-range order (reference A7).
    std::sort(closing.begin(), closing.end(),
        [](const ShardRow& a, const ShardRow& b) { return a.shard.hashLow < b.shard.hashLow; });
    for (auto& shard : closing) {
        shard.shard.endingSequence = ++stream.counter;
        shard.shard.closedAt = at;
        CAPSIM_RETURN_IF_ERROR(m_streamStore->putShard(stream.id, shard));
    }
    for (const Partition* p : opening) { // table.partitions is in key-range order
        ShardRow child;
        child.shard.ordinal = ++stream.shardCount;
        child.shard.shardId = shardIdText(at, child.shard.ordinal);
        for (const auto& parent : closing)
            if (parent.shard.hashLow <= p->hashLow && p->hashLow <= parent.shard.hashHigh)
                child.shard.parentShardId = parent.shard.shardId;
        child.shard.startingSequence = ++stream.counter;
        child.shard.openedAt = at;
        child.shard.hashLow = p->hashLow;
        child.shard.hashHigh = p->hashHigh;
        CAPSIM_RETURN_IF_ERROR(m_streamStore->putShard(stream.id, child));
    }
    noteStreamWorkDue(at + m_streamShardRollover);
    return m_streamStore->saveStream(stream);
}

Status Engine::rollStreamShards(StreamRow& stream, EngineTime upTo)
{
    if (stream.disabledAt || m_streamShardRollover <= 0)
        return Status::ok();
    bool changed = false;
    for (;;) {
        auto open = m_streamStore->shards(stream.id, true);
        if (!open)
            return open.status();
        if (open->empty())
            break;
        EngineTime oldest = open->front().shard.openedAt;
        for (const auto& s : *open)
            oldest = std::min(oldest, s.shard.openedAt);
        const EngineTime due = oldest + m_streamShardRollover;
        if (due > upTo)
            break;
        // Every open shard is replaced by one child model.streamShardRollover after opening
        // (reference A7): those opened together roll together, closings then openings, each in
        // key-range order.
        std::vector<ShardRow> rolling;
        for (const auto& s : *open)
            if (s.shard.openedAt == oldest)
                rolling.push_back(s);
        std::sort(rolling.begin(), rolling.end(),
            [](const ShardRow& a, const ShardRow& b) { return a.shard.hashLow < b.shard.hashLow; });
        for (auto& shard : rolling) {
            shard.shard.endingSequence = ++stream.counter;
            shard.shard.closedAt = due;
            CAPSIM_RETURN_IF_ERROR(m_streamStore->putShard(stream.id, shard));
        }
        for (const auto& parent : rolling) {
            ShardRow child;
            child.shard.ordinal = ++stream.shardCount;
            child.shard.shardId = shardIdText(due, child.shard.ordinal);
            child.shard.parentShardId = parent.shard.shardId;
            child.shard.startingSequence = ++stream.counter;
            child.shard.openedAt = due;
            child.shard.hashLow = parent.shard.hashLow;
            child.shard.hashHigh = parent.shard.hashHigh;
            CAPSIM_RETURN_IF_ERROR(m_streamStore->putShard(stream.id, child));
        }
        changed = true;
    }
    if (!changed)
        return Status::ok();
    return m_streamStore->saveStream(stream);
}

// ---- records ----

Status Engine::recordStreamChange(const TableState& table, const WriteChange& change)
{
    if (!table.stream.enabled)
        return Status::ok();
    // No record when nothing changed (identical PutItem, no-op UpdateItem, DeleteItem of a
    // missing item; reference A7, C 8).
    if (!change.oldImage && !change.newImage)
        return Status::ok();
    if (change.oldImage && change.newImage && *change.oldImage == *change.newImage)
        return Status::ok();
    auto found = m_streamStore->findStream(table.stream.latestArn);
    if (!found)
        return found.status();
    if (!*found)
        return Status::internal("the stream " + table.stream.latestArn + " of table " + table.name + " is missing");
    StreamRow& stream = **found;
    CAPSIM_RETURN_IF_ERROR(rollStreamShards(stream, change.time));
    auto open = m_streamStore->shards(stream.id, true);
    if (!open)
        return open.status();
    const std::uint64_t hash = storedKeyOf(table.key, change.key).hash;
    const ShardRow* shard = nullptr;
    for (const auto& s : *open)
        if (s.shard.hashLow <= hash && hash <= s.shard.hashHigh)
            shard = &s;
    if (!shard)
        return Status::internal("stream " + stream.arn + " has no open shard for an item's partition");
    RecordRow record;
    record.sequence = ++stream.counter;
    record.shardOrdinal = shard->shard.ordinal;
    record.time = change.time;
    record.eventName = !change.oldImage ? StreamEventName::Insert
        : change.newImage                ? StreamEventName::Modify
                                         : StreamEventName::Remove;
    record.byService = change.cause == WriteCause::TtlDeletion;
    record.keys = encodeItem(change.key);
    // SizeBytes: the A1 size of Keys and of the images the record carries (reference A7, B).
    record.sizeBytes = itemSizeBytes(change.key);
    if (viewIncludesNew(stream.viewType) && change.newImage) {
        record.newImage = encodeItem(*change.newImage);
        record.sizeBytes += itemSizeBytes(*change.newImage);
    }
    if (viewIncludesOld(stream.viewType) && change.oldImage) {
        record.oldImage = encodeItem(*change.oldImage);
        record.sizeBytes += itemSizeBytes(*change.oldImage);
    }
    CAPSIM_RETURN_IF_ERROR(m_streamStore->putRecord(stream.id, record));
    noteStreamWorkDue(change.time + m_streamRetention);
    return m_streamStore->saveStream(stream);
}

// ---- background work ----

void Engine::noteStreamWorkDue(EngineTime at)
{
    if (m_streamWorkDueAt)
        m_streamWorkDueAt = std::min(*m_streamWorkDueAt, at);
}

Status Engine::runStreamWork(EngineTime now)
{
    if (m_streamWorkDueAt && *m_streamWorkDueAt > now)
        return Status::ok();
    auto streams = m_streamStore->streams();
    if (!streams)
        return streams.status();
    if (streams->empty()) {
        m_streamWorkDueAt = INT64_MAX;
        return Status::ok();
    }
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    EngineTime nextDue = INT64_MAX;
    Status s;
    for (auto& stream : *streams) {
        // A disabled stream leaves ListStreams model.streamRetention after its disable.
        if (stream.disabledAt && *stream.disabledAt + m_streamRetention <= now) {
            s = m_streamStore->deleteStream(stream.id);
            if (!s)
                break;
            continue;
        }
        s = rollStreamShards(stream, now);
        if (s)
            s = m_streamStore->trim(stream.id, now - m_streamRetention);
        if (!s)
            break;
        if (stream.disabledAt)
            nextDue = std::min(nextDue, *stream.disabledAt + m_streamRetention);
        auto shards = m_streamStore->shards(stream.id, false);
        if (!shards) {
            s = shards.status();
            break;
        }
        for (const auto& shard : *shards) {
            if (shard.shard.closedAt)
                nextDue = std::min(nextDue, *shard.shard.closedAt + m_streamRetention + 1);
            else if (m_streamShardRollover > 0)
                nextDue = std::min(nextDue, shard.shard.openedAt + m_streamShardRollover);
        }
        auto oldest = m_streamStore->oldestRecordTime(stream.id);
        if (!oldest) {
            s = oldest.status();
            break;
        }
        if (*oldest)
            nextDue = std::min(nextDue, **oldest + m_streamRetention + 1);
    }
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        m_streamWorkDueAt.reset();
        return s;
    }
    m_streamWorkDueAt = nextDue;
    return Status::ok();
}

// ---- the Streams API ----

Result<ListStreamsResult> Engine::listStreams(const std::optional<std::string>& tableName,
    const std::optional<std::string>& exclusiveStartStreamArn, std::optional<std::int64_t> limit)
{
    const std::int64_t pageSize = limit.value_or(kStreamsMaxLimit);
    if (pageSize < 1 || pageSize > kStreamsMaxLimit)
        return Status::validation("1 validation error detected: Value '" + std::to_string(pageSize)
            + "' at 'limit' failed to satisfy constraint: Member must have value "
            + (pageSize < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
    auto streams = m_streamStore->streams();
    if (!streams)
        return streams.status();
    ListStreamsResult result;
    bool started = !exclusiveStartStreamArn;
    for (const auto& stream : *streams) {
        if (!started) {
            started = stream.arn == *exclusiveStartStreamArn;
            continue;
        }
        if (tableName && stream.tableName != *tableName)
            continue;
        if (stream.region != m_region) // region()'s streams only (reference A11)
            continue;
        if (stream.disabledAt && *stream.disabledAt + m_streamRetention <= m_now)
            continue;
        if (static_cast<std::int64_t>(result.streams.size()) == pageSize) {
            result.lastEvaluatedStreamArn = result.streams.back().streamArn;
            break;
        }
        result.streams.push_back({ stream.arn, stream.tableName, stream.label });
    }
    return result;
}

Result<StreamDescription> Engine::describeStream(const std::string& streamArn)
{
    auto found = m_streamStore->findStream(streamArn);
    if (!found)
        return found.status();
    if (!*found || ((*found)->disabledAt && *(*found)->disabledAt + m_streamRetention <= m_now))
        return streamNotFound(streamArn);
    const StreamRow& stream = **found;
    StreamDescription d;
    d.streamArn = stream.arn;
    d.streamLabel = stream.label;
    d.tableName = stream.tableName;
    d.status = statusAt(stream, m_now, m_streamToggleDelay);
    d.viewType = stream.viewType;
    d.createdAt = stream.createdAt;
    d.key = stream.key;
    auto shards = m_streamStore->shards(stream.id, false);
    if (!shards)
        return shards.status();
    for (const auto& shard : *shards) {
        // Fully trimmed closed shards leave DescribeStream (reference A7).
        if (shard.shard.closedAt && *shard.shard.closedAt + m_streamRetention < m_now)
            continue;
        d.shards.push_back(shard.shard);
    }
    return d;
}

Result<std::string> Engine::getShardIterator(const std::string& streamArn, const std::string& shardId,
    ShardIteratorType type, const std::optional<std::string>& sequenceNumber, EngineTime now)
{
    const bool needsSequence = type == ShardIteratorType::AtSequenceNumber || type == ShardIteratorType::AfterSequenceNumber;
    const char* typeName = type == ShardIteratorType::TrimHorizon ? "TRIM_HORIZON"
        : type == ShardIteratorType::Latest                         ? "LATEST"
        : type == ShardIteratorType::AtSequenceNumber               ? "AT_SEQUENCE_NUMBER"
                                                                    : "AFTER_SEQUENCE_NUMBER";
    if (needsSequence && !sequenceNumber)
        return Status::validation(std::string("SequenceNumber is required for ShardIteratorType ") + typeName);
    if (!needsSequence && sequenceNumber)
        return Status::validation(std::string("SequenceNumber must not be specified for ShardIteratorType ") + typeName);
    auto found = streamShard(*m_streamStore, streamArn, shardId, now, m_streamRetention);
    if (!found)
        return found.status();
    const StreamRow& stream = found->first;
    const ShardRow& s = found->second;
    IteratorState it { stream.arn, shardId, 0, now };
    switch (type) {
    case ShardIteratorType::TrimHorizon:
        it.afterSequence = std::max(s.shard.startingSequence, s.trimmedThrough);
        break;
    case ShardIteratorType::Latest:
        it.afterSequence = s.shard.endingSequence.value_or(stream.counter);
        break;
    case ShardIteratorType::AtSequenceNumber:
    case ShardIteratorType::AfterSequenceNumber: {
        const auto n = parseSequenceNumber(*sequenceNumber);
        const std::int64_t last = s.shard.endingSequence.value_or(stream.counter);
        // A sequence number outside the shard is ValidationException (reference A7).
        if (!n || *n < s.shard.startingSequence || *n > last)
            return Status::validation("Invalid SequenceNumber " + *sequenceNumber + " for shard " + shardId
                + " of stream " + streamArn + ": the shard's sequence numbers are " + sequenceNumberText(s.shard.startingSequence)
                + " to " + sequenceNumberText(last));
        it.afterSequence = type == ShardIteratorType::AtSequenceNumber ? *n - 1 : *n;
        if (it.afterSequence < s.trimmedThrough)
            return trimmed();
        break;
    }
    }
    return encodeIterator(it);
}

Result<ShardRead> Engine::readShard(const std::string& streamArn, const std::string& shardId, std::int64_t afterSequence,
    std::int64_t limit, std::int64_t maxBytes)
{
    auto found = streamShard(*m_streamStore, streamArn, shardId, std::nullopt, m_streamRetention);
    if (!found)
        return found.status();
    const StreamRow& stream = found->first;
    const ShardRow& s = found->second;
    std::int64_t position = std::max(afterSequence, s.shard.startingSequence);
    if (afterSequence != 0 && afterSequence < s.trimmedThrough)
        return trimmed();
    position = std::max(position, s.trimmedThrough);
    ShardRead read;
    std::int64_t bytes = 0;
    bool more = false;
    Status decoded;
    CAPSIM_RETURN_IF_ERROR(m_streamStore->readRecords(stream.id, s.shard.ordinal, position, [&](const RecordRow& row) {
        // Stop at Limit, or before the SizeBytes sum passes 1 MB, with at least one record (A7).
        if (static_cast<std::int64_t>(read.records.size()) >= limit
            || (!read.records.empty() && bytes + row.sizeBytes > maxBytes)) {
            more = true;
            return false;
        }
        auto record = recordFrom(stream, s, row);
        if (!record) {
            decoded = record.status();
            return false;
        }
        bytes += row.sizeBytes;
        position = row.sequence;
        read.records.push_back(std::move(record).value());
        return true;
    }));
    CAPSIM_RETURN_IF_ERROR(decoded);
    read.nextAfterSequence = position;
    read.shardEnded = !more && !s.shard.isOpen();
    return read;
}

Result<Engine::GetRecordsResult> Engine::getRecords(
    const std::string& shardIterator, std::optional<std::int64_t> limit, EngineTime now)
{
    const std::int64_t pageSize = limit.value_or(kGetRecordsMaxLimit);
    if (pageSize < 1 || pageSize > kGetRecordsMaxLimit)
        return Status::validation("1 validation error detected: Value '" + std::to_string(pageSize)
            + "' at 'limit' failed to satisfy constraint: Member must have value "
            + (pageSize < 1 ? "greater than or equal to 1" : "less than or equal to 1000"));
    const auto it = decodeIterator(shardIterator);
    if (!it)
        return Status::validation("Invalid ShardIterator: it is not an iterator that GetShardIterator or GetRecords returned");
    if (now - it->issuedAt > kShardIteratorLifetime)
        return Status(error::kExpiredIterator, "Iterator expired. The iterator was created at "
                + streamLabelText(it->issuedAt) + " UTC while right now it is " + streamLabelText(now)
                + " UTC which is further in the future than the tolerated delay of 900000 milliseconds.");
    auto found = m_streamStore->findStream(it->streamArn);
    if (!found)
        return found.status();
    if (!*found || ((*found)->disabledAt && *(*found)->disabledAt + m_streamRetention <= now))
        return streamNotFound(it->streamArn);
    auto shard = m_streamStore->findShard((*found)->id, it->shardId);
    if (!shard)
        return shard.status();
    // A shard removed as fully trimmed: whatever the iterator pointed at was trimmed.
    if (!*shard)
        return trimmed();
    // Reaching a record trimmed since the iterator was issued (reference A7).
    if (it->afterSequence < (*shard)->trimmedThrough)
        return trimmed();
    auto read = readShard(it->streamArn, it->shardId, it->afterSequence, pageSize, kGetRecordsMaxBytes);
    if (!read)
        return read.status();
    GetRecordsResult result;
    result.records = std::move(read->records);
    if (!read->shardEnded)
        result.nextIterator = encodeIterator({ it->streamArn, it->shardId, read->nextAfterSequence, now });
    return result;
}

std::optional<std::string> streamArnOfShardIterator(const std::string& iterator)
{
    const auto it = decodeIterator(iterator);
    if (!it)
        return std::nullopt;
    return it->streamArn;
}

} // namespace capsim

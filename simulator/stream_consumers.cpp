// DynamoDB Streams in a run (reference A7, A5, A13; scenario-format.md "Stream consumers"): the
// tables' streams, and their consumers (`lambda`, `client`, `kinesis`) polling every shard on the
// virtual clock, with `writesTo` pipelines through the target table's admission and client
// model, `sink` folders of JSON lines, and the figures per minute and per table. Part of
// Simulator::Impl.
#include "simulator/client_retries.h"
#include "simulator/pricing.h"
#include "simulator/simulator_impl.h"

#include "engine/json_codec.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace capsim {

namespace {

namespace json = boost::json;

// Random purposes of a consumer (kStreamConsumers + 16 c + purpose).
constexpr std::uint64_t kConsumerProcessing = 0;
constexpr std::uint64_t kConsumerKinesis = 1;
constexpr std::uint64_t kConsumerRetries = 2;
constexpr std::uint64_t kConsumerLatency = 3;

StreamViewType viewTypeOf(const StreamSpec& spec)
{
    StreamViewType type = StreamViewType::KeysOnly;
    parseStreamViewType(spec.viewType, type); // the loader accepted only the four names
    return type;
}

const char* consumerKindName(StreamConsumerSpec::Kind kind)
{
    switch (kind) {
    case StreamConsumerSpec::Kind::Lambda: return "lambda";
    case StreamConsumerSpec::Kind::Client: return "client";
    default: return "kinesis";
    }
}

// The record as GetRecords returns it (engine/wire/streams.cpp, reference A7).
std::string recordJsonLine(const StreamRecord& r)
{
    return json::serialize(streamRecordToJson(r)) + "\n";
}

// A new file in `folder` for the consumer's JSON lines: "<table>-<consumer>.jsonl", or with
// "-2", "-3"... when that name is taken. Never opens an existing file (fopen "wx").
Result<std::shared_ptr<std::FILE>> createSinkFile(
    const std::string& folder, const std::string& table, const std::string& consumer, std::string& path)
{
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec || !std::filesystem::is_directory(folder, ec))
        return Status::validation("sink " + folder + ": cannot create the folder" + (ec ? " (" + ec.message() + ")" : std::string()));
    for (int n = 1; n <= 10000; ++n) {
        const std::string name = table + "-" + consumer + (n == 1 ? std::string() : "-" + std::to_string(n)) + ".jsonl";
        const std::filesystem::path candidate = std::filesystem::path(folder) / name;
        std::FILE* file = std::fopen(candidate.string().c_str(), "wx");
        if (file) {
            path = candidate.string();
            return std::shared_ptr<std::FILE>(file, [](std::FILE* f) { std::fclose(f); });
        }
        if (errno != EEXIST)
            return Status::validation("sink " + candidate.string() + ": cannot create the file (" + std::strerror(errno) + ")");
    }
    return Status::validation("sink " + folder + ": every file name for " + table + "-" + consumer + " is taken");
}

} // namespace

void Simulator::Impl::scheduleStreamEvent(SimTime at, EventClass cls, QueuedKind kind, std::size_t reader)
{
    // Like arrivals, nothing is scheduled at or after the run's end (no figure outside its minutes).
    if (at < scenario.duration)
        queue.schedule(at, cls, kind, reader);
}

std::optional<StreamSpecification> Simulator::Impl::streamSpecificationAtCreate(const TableSpec& spec) const
{
    // With initialData the stream is enabled after the load (setUpStream): items present at
    // t = 0 are no changes of the run.
    if (!spec.streams || (spec.initialData && spec.initialData->items > 0))
        return std::nullopt;
    return StreamSpecification { true, viewTypeOf(*spec.streams) };
}

Status Simulator::Impl::setUpStream(TableRuntime& t)
{
    if (!t.spec->streams)
        return Status::ok();
    t.result.streams = StreamSummary {};
    const TableState* state = engine->table(t.spec->name);
    if (state && state->stream.enabled)
        return Status::ok();
    // Enabled at t = 0 after initialData, with no ENABLING period (like tables[].ttl).
    UpdateTableRequest update;
    update.tableName = t.spec->name;
    update.streamSpecification = StreamSpecification { true, viewTypeOf(*t.spec->streams) };
    engine->setStreamToggleDelay(0);
    auto updated = engine->updateTable(update, now);
    engine->setStreamToggleDelay(kStreamToggleDelay);
    if (!updated)
        return Status(updated.status().type(), "tables[" + std::to_string(tableIndex.at(t.spec->name)) + "].streams: "
                + updated.status().message());
    return Status::ok();
}

Status Simulator::Impl::startStreamConsumers()
{
    bool anyStream = false;
    for (std::size_t ti = 0; ti < scenario.tables.size(); ++ti) {
        const TableSpec& spec = scenario.tables[ti];
        if (!spec.streams)
            continue;
        anyStream = true;
        const std::string arn = engine->table(spec.name)->stream.latestArn;
        for (std::size_t k = 0; k < spec.streams->consumers.size(); ++k) {
            const StreamConsumerSpec& cs = spec.streams->consumers[k];
            const std::size_t ci = streamConsumers.size();
            StreamConsumerRuntime& c = streamConsumers.emplace_back();
            c.table = ti;
            c.spec = &cs;
            c.streamArn = arn;
            const std::uint64_t base = kStreamConsumers + 16 * ci;
            c.processingRng = Rng(scenario.seed, base + kConsumerProcessing);
            c.kinesisRng = Rng(scenario.seed, base + kConsumerKinesis);
            c.retryRng = Rng(scenario.seed, base + kConsumerRetries);
            c.latencyRng = Rng(scenario.seed, base + kConsumerLatency);
            c.summary.name = cs.name;
            c.summary.kind = consumerKindName(cs.kind);
            if (cs.writesTo)
                c.target = tableIndex.at(*cs.writesTo); // the loader checked it names a table
            if (cs.sink) {
                auto file = createSinkFile(*cs.sink, spec.name, cs.name, c.sinkPath);
                if (!file)
                    return Status(file.status().type(), "tables[" + std::to_string(ti) + "].streams.consumers[" + std::to_string(k)
                            + "].sink: " + file.status().message());
                c.sink = std::move(file).value();
            }
        }
    }
    if (!anyStream)
        return Status::ok();
    // Stream records and CDC units as the engine commits changes: one per item change, none
    // when the new image equals the old (reference A7).
    streamSubscription = engine->subscribe([this](const WriteChange& change) {
        const auto it = tableIndex.find(change.tableName);
        if (it == tableIndex.end() || it->second >= scenario.tables.size())
            return;
        TableRuntime& t = tables[it->second];
        if (!t.spec->streams || t.spec->name != change.tableName)
            return;
        // A replica in another region has its own stream, which no consumer reads (reference A11).
        if (!change.region.empty() && change.region != scenario.region)
            return;
        if (!change.oldImage && !change.newImage)
            return;
        if (change.oldImage && change.newImage && *change.oldImage == *change.newImage)
            return;
        ++t.streamRecords;
        ++t.minuteStreamRecords;
        // Kinesis Data Streams captures every change once per consumer standing for a Kinesis
        // stream: 1 unit per started KB of the larger image (C 6.3).
        std::int64_t kinesis = 0;
        for (const auto& c : t.spec->streams->consumers)
            kinesis += c.kind == StreamConsumerSpec::Kind::Kinesis ? 1 : 0;
        if (kinesis > 0) {
            const std::int64_t units = changeDataCaptureUnits(change.oldSizeBytes, change.newSizeBytes) * kinesis;
            t.streamCdcUnits += units;
            t.result.cost.streams += changeDataCaptureCost(options.pricing, static_cast<double>(units) * weight);
        }
    });
    // Every consumer reads the shards open at the start (the stream's first shards) from their
    // opening; children follow their parent's end (streamShardEnded).
    for (std::size_t ci = 0; ci < streamConsumers.size(); ++ci) {
        auto described = engine->describeStream(streamConsumers[ci].streamArn);
        if (!described)
            return described.status();
        std::set<std::string> ids;
        for (const auto& s : described->shards)
            ids.insert(s.shardId);
        for (const auto& s : described->shards)
            if (!s.parentShardId || !ids.contains(*s.parentShardId))
                startStreamReader(ci, s, std::max<SimTime>(now, s.openedAt));
    }
    return Status::ok();
}

void Simulator::Impl::startStreamReader(std::size_t consumer, const StreamShard& shard, SimTime at)
{
    if (!streamConsumers[consumer].shardsStarted.insert(shard.shardId).second)
        return; // one reader per shard per consumer
    StreamReaderRuntime reader;
    reader.consumer = consumer;
    reader.shardId = shard.shardId;
    streamReaders.push_back(std::move(reader));
    scheduleStreamEvent(at, EventClass::Request, QueuedKind::StreamPoll, streamReaders.size() - 1);
}

void Simulator::Impl::streamPoll(std::size_t ri)
{
    StreamReaderRuntime& rd = streamReaders[ri];
    StreamConsumerRuntime& c = streamConsumers[rd.consumer];
    TableRuntime& t = tables[c.table];
    // The engine's clock is the virtual clock: shard rollovers and trimming due by now happen first.
    if (Status s = engine->advanceTime(now); !s) {
        engineFailed(s);
        return;
    }
    auto read = engine->readShard(c.streamArn, rd.shardId, rd.afterSequence, c.spec->batchSize);
    if (!read && read.status().is(error::kTrimmedDataAccess)) {
        // A consumer more than the retention behind: it goes on from the oldest record kept.
        rd.afterSequence = 0;
        read = engine->readShard(c.streamArn, rd.shardId, 0, c.spec->batchSize);
    }
    if (!read) {
        if (read.status().is(error::kResourceNotFound)) {
            streamShardEnded(ri); // the shard was trimmed away entirely
            return;
        }
        engineFailed(Status::internal("stream consumer " + c.spec->name + " of " + t.spec->name + ": " + read.status().message()));
        return;
    }
    // One GetRecords call: a stream read request unit, billed for `client` only (reference A5,
    // A7); a `kinesis` consumer reads Kinesis Data Streams, not DynamoDB Streams.
    ++c.summary.reads;
    if (c.spec->kind != StreamConsumerSpec::Kind::Kinesis)
        ++t.minuteStreamReads;
    if (c.spec->kind == StreamConsumerSpec::Kind::Client) {
        ++t.result.streams->readRequestUnits;
        const double price = streamReadCost(options.pricing, 1.0);
        t.result.cost.streams += price;
        if (scenario.freeTier) {
            // The account's first 2.5 M stream reads of each month are free (reference A5).
            const auto month = static_cast<std::int64_t>(std::floor(secondsOf(now) / (options.pricing.hoursPerMonth * 3600.0)));
            double& used = freeStreamReadsUsed[month];
            if (used < options.pricing.freeStreamReadRequests) {
                used += 1;
                t.result.cost.freeTier -= price;
            }
        }
    }
    rd.afterSequence = read->nextAfterSequence;
    if (read->records.empty()) {
        if (read->shardEnded)
            streamShardEnded(ri);
        else
            scheduleStreamEvent(now + c.spec->pollInterval, EventClass::Request, QueuedKind::StreamPoll, ri);
        return;
    }
    ++c.summary.batches;
    std::vector<StreamRecord> records = std::move(read->records);
    if (c.spec->kind == StreamConsumerSpec::Kind::Kinesis) {
        // Kinesis Data Streams delivers a record twice with probability model.kdsDuplicateRate
        // and swaps it with the next with model.kdsReorderRate, seeded (reference A7).
        std::vector<StreamRecord> delivered;
        delivered.reserve(records.size() + 1);
        for (auto& r : records) {
            delivered.push_back(r);
            if (c.kinesisRng.uniform01() < scenario.model.kdsDuplicateRate)
                delivered.push_back(r);
        }
        for (std::size_t i = 0; i + 1 < delivered.size(); ++i)
            if (c.kinesisRng.uniform01() < scenario.model.kdsReorderRate)
                std::swap(delivered[i], delivered[i + 1]);
        c.summary.records += static_cast<std::int64_t>(delivered.size());
        // The consumer orders by ApproximateCreationDateTime (the commit time; the sequence
        // number breaks ties) and drops duplicates (same eventID) before it writes.
        std::stable_sort(delivered.begin(), delivered.end(), [](const StreamRecord& a, const StreamRecord& b) {
            return a.time != b.time ? a.time < b.time : a.sequence < b.sequence;
        });
        delivered.erase(std::unique(delivered.begin(), delivered.end(),
                            [](const StreamRecord& a, const StreamRecord& b) { return a.eventId == b.eventId; }),
            delivered.end());
        records = std::move(delivered);
    } else {
        c.summary.records += static_cast<std::int64_t>(records.size());
    }
    rd.batch = std::move(records);
    rd.next = 0;
    rd.attempts = 0;
    rd.pollAt = now;
    rd.shardEnded = read->shardEnded;
    // processingTime per batch, then the writes (reference A7).
    const SimTime processing = drawDuration(c.spec->processingTime, c.processingRng);
    scheduleStreamEvent(now + processing, EventClass::Request, c.target ? QueuedKind::StreamWrite : QueuedKind::StreamBatchEnd, ri);
}

void Simulator::Impl::streamWrite(std::size_t ri)
{
    StreamReaderRuntime& rd = streamReaders[ri];
    StreamConsumerRuntime& c = streamConsumers[rd.consumer];
    const std::size_t targetIndex = *c.target;
    TableRuntime& tt = tables[targetIndex];
    const StreamRecord& record = rd.batch[rd.next];
    // A PutItem of the NewImage, a DeleteItem of the Keys for a REMOVE (reference A7).
    GeneratedRequest g;
    if (record.eventName == StreamEventName::Remove || !record.newImage) {
        DeleteItemRequest erase;
        erase.tableName = tt.spec->name;
        erase.key = record.keys;
        g.type = OperationType::DeleteItem;
        g.request = std::move(erase);
    } else {
        PutItemRequest put;
        put.tableName = tt.spec->name;
        put.item = *record.newImage;
        g.type = OperationType::PutItem;
        g.itemSizeBytes = itemSizeBytes(put.item);
        g.request = std::move(put);
    }
    const AttributeValue& pk = record.keys.at(tt.spec->partitionKey.name);
    g.partitionKeyIndex = keyIndexOf(pk);
    const Dimension d = Dimension::Write;
    ++rd.attempts;
    ++tt.minuteRequests[d];
    ++tt.result.requestsWrite;
    // Admission on the target's partition and its GSIs, like a workload's write (reference A3).
    const std::size_t p = tt.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(pk)));
    bool admitted = tt.capacity->admit(p, d, now);
    std::vector<std::size_t> refused;
    if (admitted)
        admitted = admitGlobalIndexes(targetIndex, g, refused);
    const std::string key = keyLabelOf(g.partitionKeyIndex);
    auto& hot = tt.keys[key];
    hot.key = key;
    ++hot.requests;
    ++tt.heat[tt.capacity->partition(p).partitionId].keyCounts[key];
    SimTime nextAt = now;
    if (!admitted) {
        ++tt.minuteThrottled[d];
        ++hot.throttled;
        ++tt.result.throttledWrite;
        ++tt.partitionMinute[tt.capacity->partition(p).partitionId].throttled[d];
        tt.minuteDemand[d] += static_cast<double>(writeUnits(g.itemSizeBytes));
        ++c.summary.throttledWrites;
        if (!clientGivesUp(scenario.client, rd.attempts)) {
            // The SDK's backoff with full jitter, in virtual time (the client model).
            scheduleStreamEvent(now + retryDelay(scenario.client, rd.attempts, c.retryRng), EventClass::Request, QueuedKind::StreamWrite, ri);
            return;
        }
        ++tt.minuteFailed[d];
        ++tt.result.failedWrite;
    } else {
        if (Status s = engine->advanceTime(now); !s) {
            engineFailed(s);
            return;
        }
        const std::size_t partitionsBefore = engine->table(tt.spec->name)->partitions.size();
        WriteResponse response = g.type == OperationType::PutItem ? engine->putItem(std::get<PutItemRequest>(g.request))
                                                                  : engine->deleteItem(std::get<DeleteItemRequest>(g.request));
        chargeConsumed(tt, response.consumed, d);
        if (engine->table(tt.spec->name)->partitions.size() != partitionsBefore)
            syncPartitions(tt, true);
        if (!response.status) {
            if (response.status.is(error::kInternalServerError)) {
                engineFailed(response.status);
                return;
            }
            ++tt.minuteFailed[d];
            ++tt.result.failedWrite;
            if (tt.failureTypes.insert(response.status.type()).second)
                event(tt.name, EventKind::RequestFailed,
                    RequestFailure { operationName(g.type), response.status.type(), response.status.message() });
        } else {
            ++c.summary.writes;
        }
        // The write completes after the service latency (model.latency.write).
        nextAt = now
            + static_cast<SimTime>(std::llround(c.latencyRng.lognormal(
                static_cast<double>(scenario.model.latency.writeMedian), scenario.model.latency.writeSigma)));
    }
    ++rd.next;
    rd.attempts = 0;
    scheduleStreamEvent(nextAt, EventClass::Request, rd.next < rd.batch.size() ? QueuedKind::StreamWrite : QueuedKind::StreamBatchEnd, ri);
}

void Simulator::Impl::streamBatchEnd(std::size_t ri)
{
    StreamReaderRuntime& rd = streamReaders[ri];
    StreamConsumerRuntime& c = streamConsumers[rd.consumer];
    TableRuntime& t = tables[c.table];
    // Lag = batch end - commit time (reference A7).
    for (const auto& r : rd.batch) {
        const double lag = secondsOf(now - r.time);
        c.summary.maxLagSeconds = std::max(c.summary.maxLagSeconds, lag);
        t.minuteConsumerLag = std::max(t.minuteConsumerLag, lag);
    }
    if (c.sink) {
        for (const auto& r : rd.batch) {
            const std::string line = recordJsonLine(r);
            if (std::fwrite(line.data(), 1, line.size(), c.sink.get()) != line.size()) {
                engineFailed(Status::internal("sink " + c.sinkPath + ": write failed (" + std::strerror(errno) + ")"));
                return;
            }
        }
    }
    rd.batch.clear();
    rd.next = 0;
    if (rd.shardEnded) {
        streamShardEnded(ri);
        return;
    }
    // The next poll: max(poll + pollInterval, batch end) (reference A7).
    scheduleStreamEvent(std::max(rd.pollAt + c.spec->pollInterval, now), EventClass::Request, QueuedKind::StreamPoll, ri);
}

void Simulator::Impl::streamShardEnded(std::size_t ri)
{
    const std::size_t consumer = streamReaders[ri].consumer;
    const std::string shardId = streamReaders[ri].shardId;
    // The children of a shard are read after its end (reference A7), each from its opening.
    auto described = engine->describeStream(streamConsumers[consumer].streamArn);
    if (!described) {
        engineFailed(Status::internal("stream of " + tables[streamConsumers[consumer].table].spec->name + ": "
            + described.status().message()));
        return;
    }
    for (const auto& s : described->shards)
        if (s.parentShardId && *s.parentShardId == shardId)
            startStreamReader(consumer, s, std::max<SimTime>(now, s.openedAt));
}

void Simulator::Impl::streamMinute(TableRuntime& t, MinuteRow& row)
{
    if (!t.result.streams)
        return;
    // Records of the sampled items stand for 1/r as many (reference A13); calls are as made.
    row.streamRecords = std::llround(static_cast<double>(t.minuteStreamRecords) * weight);
    row.streamReadRequests = t.minuteStreamReads;
    row.consumerLagSeconds = t.minuteConsumerLag;
    t.minuteStreamRecords = t.minuteStreamReads = 0;
    t.minuteConsumerLag = 0;
}

void Simulator::Impl::finishStreams(TableRuntime& t)
{
    if (!t.result.streams)
        return;
    StreamSummary& s = *t.result.streams;
    s.records = std::llround(static_cast<double>(t.streamRecords) * weight);
    s.changeDataCaptureUnits = std::llround(static_cast<double>(t.streamCdcUnits) * weight);
    const std::size_t ti = tableIndex.at(t.spec->name);
    for (auto& c : streamConsumers) {
        if (c.table != ti)
            continue;
        StreamConsumerSummary summary = c.summary;
        summary.records = std::llround(static_cast<double>(summary.records) * weight);
        summary.writes = std::llround(static_cast<double>(summary.writes) * weight);
        summary.throttledWrites = std::llround(static_cast<double>(summary.throttledWrites) * weight);
        s.consumers.push_back(std::move(summary));
        if (c.sink && std::fflush(c.sink.get()) != 0)
            engineFailed(Status::internal("sink " + c.sinkPath + ": write failed (" + std::strerror(errno) + ")"));
        c.sink.reset();
    }
}

} // namespace capsim

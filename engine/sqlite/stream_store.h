#pragma once
// StreamStore: the DynamoDB Streams state on SQLite (reference A7), in the engine database
// beside the items and on the same connection, so that a stream record commits in the storage
// transaction of its item change. Three tables: streams (one row per enable, kept 24 h after
// its disable), their shards, and their records (trimmed after 24 h). Not thread-safe: owned
// by the engine with its ItemStore. This header does not expose SQLite.

#include "engine/sqlite/item_store.h"
#include "engine/streams.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

// One stream: what DescribeStream and the records need, its sequence counter (the last n
// given, A7) and how many shards it has opened.
struct StreamRow {
    std::int64_t id = 0;
    std::string arn;
    std::string label;
    std::string tableName;
    std::int64_t tableId = 0;
    StreamViewType viewType = StreamViewType::KeysOnly;
    KeySchema key;
    std::string region;
    EngineTime createdAt = 0;
    std::optional<EngineTime> disabledAt;
    std::int64_t counter = 0;
    std::int64_t shardCount = 0;
};

// A shard as stored: its description and the last record sequence trimmed from it (0: none).
struct ShardRow {
    StreamShard shard;
    std::int64_t trimmedThrough = 0;
};

// One record as stored: images in the engine's item encoding, only those the view type keeps.
struct RecordRow {
    std::int64_t sequence = 0;
    std::int64_t shardOrdinal = 0;
    EngineTime time = 0;
    StreamEventName eventName = StreamEventName::Insert;
    bool byService = false;
    std::int64_t sizeBytes = 0;
    std::string keys;
    std::optional<std::string> newImage;
    std::optional<std::string> oldImage;
};

class StreamStore {
public:
    // Creates the stream tables in `items`' database if missing. `items` must outlive the store.
    static Result<std::unique_ptr<StreamStore>> open(ItemStore& items);
    ~StreamStore();

    // Inserts a new stream; sets row.id.
    Status createStream(StreamRow& row);
    Result<std::optional<StreamRow>> findStream(const std::string& arn);
    Result<std::optional<StreamRow>> streamById(std::int64_t id);
    // Every stream, in creation order.
    Result<std::vector<StreamRow>> streams();
    // Saves the counter, shard count and disable time.
    Status saveStream(const StreamRow& row);
    // Removes a stream with its shards and records.
    Status deleteStream(std::int64_t streamId);

    // The stream's shards in opening order (only the open ones with `openOnly`).
    Result<std::vector<ShardRow>> shards(std::int64_t streamId, bool openOnly);
    Result<std::optional<ShardRow>> findShard(std::int64_t streamId, const std::string& shardId);
    // Inserts or replaces a shard (by ordinal).
    Status putShard(std::int64_t streamId, const ShardRow& shard);

    Status putRecord(std::int64_t streamId, const RecordRow& record);
    // Visits the shard's records with sequence > afterSequence in order; return false to stop.
    Status readRecords(std::int64_t streamId, std::int64_t shardOrdinal, std::int64_t afterSequence,
        const std::function<bool(const RecordRow&)>& visit);
    // The commit time of the stream's oldest record, if any.
    Result<std::optional<EngineTime>> oldestRecordTime(std::int64_t streamId);
    // Trims records committed before `cutoff` (noting per shard the last sequence trimmed) and
    // removes closed shards closed before it (fully trimmed).
    Status trim(std::int64_t streamId, EngineTime cutoff);

private:
    struct Impl;
    explicit StreamStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace capsim

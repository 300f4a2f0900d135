#include "engine/sqlite/stream_store.h"

#include "engine/sqlite/sqlite_handle.h"

#include <map>

namespace capsim {

namespace {

// Created on open of older files too. Shards are keyed by their per-stream ordinal; records by
// their sequence, with an index per shard (reads) and per time (trimming).
constexpr const char* kSchemaSql
    = "CREATE TABLE IF NOT EXISTS streams(id INTEGER PRIMARY KEY, arn TEXT UNIQUE NOT NULL, label TEXT NOT NULL,"
      " table_name TEXT NOT NULL, table_id INTEGER NOT NULL, view_type INTEGER NOT NULL, pk_name TEXT NOT NULL,"
      " pk_type TEXT NOT NULL, sk_name TEXT, sk_type TEXT, region TEXT NOT NULL, created INTEGER NOT NULL,"
      " disabled INTEGER, counter INTEGER NOT NULL, shard_count INTEGER NOT NULL);"
      "CREATE TABLE IF NOT EXISTS stream_shards(stream INTEGER NOT NULL, ordinal INTEGER NOT NULL,"
      " shard_id TEXT NOT NULL, parent TEXT, hash_low INTEGER NOT NULL, hash_high INTEGER NOT NULL,"
      " starting INTEGER NOT NULL, ending INTEGER, opened INTEGER NOT NULL, closed INTEGER,"
      " trimmed INTEGER NOT NULL, PRIMARY KEY(stream, ordinal)) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS stream_records(stream INTEGER NOT NULL, seq INTEGER NOT NULL,"
      " shard INTEGER NOT NULL, time INTEGER NOT NULL, event INTEGER NOT NULL, service INTEGER NOT NULL,"
      " size INTEGER NOT NULL, keys BLOB NOT NULL, new_image BLOB, old_image BLOB,"
      " PRIMARY KEY(stream, seq)) WITHOUT ROWID;"
      "CREATE INDEX IF NOT EXISTS stream_records_by_shard ON stream_records(stream, shard, seq);"
      "CREATE INDEX IF NOT EXISTS stream_records_by_time ON stream_records(stream, time);";

std::int64_t storedHash(std::uint64_t hash)
{
    return static_cast<std::int64_t>(hash ^ 0x8000000000000000ULL);
}

std::uint64_t hashFromStored(std::int64_t stored)
{
    return static_cast<std::uint64_t>(stored) ^ 0x8000000000000000ULL;
}

bool isNull(const sqlite::Statement& s, int column)
{
    return sqlite3_column_type(s.handle(), column) == SQLITE_NULL;
}

void bindOptionalInt64(sqlite::Statement& s, int index, const std::optional<std::int64_t>& value)
{
    if (value)
        s.bindInt64(index, *value);
    else
        sqlite3_bind_null(s.handle(), index);
}

} // namespace

struct StreamStore::Impl {
    sqlite::Connection* connection = nullptr;
    sqlite::StatementCache cached;

    sqlite3* db() const { return connection->handle(); }

    Result<sqlite::Statement*> statement(const char* sql)
    {
        return cached.get(db(), sql);
    }

    Status run(sqlite::Statement& stmt, std::string_view what)
    {
        return sqlite::runOnce(stmt, db(), what);
    }

    static constexpr const char* kStreamColumns = "id, arn, label, table_name, table_id, view_type, pk_name, pk_type,"
                                                  " sk_name, sk_type, region, created, disabled, counter, shard_count";

    static StreamRow streamFrom(const sqlite::Statement& s)
    {
        StreamRow row;
        row.id = s.columnInt64(0);
        row.arn = std::string(s.columnText(1));
        row.label = std::string(s.columnText(2));
        row.tableName = std::string(s.columnText(3));
        row.tableId = s.columnInt64(4);
        row.viewType = static_cast<StreamViewType>(s.columnInt64(5));
        row.key.partition.name = std::string(s.columnText(6));
        parseAttrTypeName(s.columnText(7), row.key.partition.type);
        if (!isNull(s, 8)) {
            KeyElement sort;
            sort.name = std::string(s.columnText(8));
            parseAttrTypeName(s.columnText(9), sort.type);
            row.key.sort = sort;
        }
        row.region = std::string(s.columnText(10));
        row.createdAt = s.columnInt64(11);
        if (!isNull(s, 12))
            row.disabledAt = s.columnInt64(12);
        row.counter = s.columnInt64(13);
        row.shardCount = s.columnInt64(14);
        return row;
    }

    Result<std::vector<StreamRow>> selectStreams(sqlite::Statement& s)
    {
        std::vector<StreamRow> rows;
        int rc;
        while ((rc = s.step()) == SQLITE_ROW)
            rows.push_back(streamFrom(s));
        Status status = sqlite::statusFrom(rc, db(), "reading streams");
        s.reset();
        if (!status)
            return status;
        return rows;
    }

    static ShardRow shardFrom(const sqlite::Statement& s)
    {
        ShardRow row;
        row.shard.ordinal = s.columnInt64(0);
        row.shard.shardId = std::string(s.columnText(1));
        if (!isNull(s, 2))
            row.shard.parentShardId = std::string(s.columnText(2));
        row.shard.hashLow = hashFromStored(s.columnInt64(3));
        row.shard.hashHigh = hashFromStored(s.columnInt64(4));
        row.shard.startingSequence = s.columnInt64(5);
        if (!isNull(s, 6))
            row.shard.endingSequence = s.columnInt64(6);
        row.shard.openedAt = s.columnInt64(7);
        if (!isNull(s, 8))
            row.shard.closedAt = s.columnInt64(8);
        row.trimmedThrough = s.columnInt64(9);
        return row;
    }
};

StreamStore::StreamStore(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

StreamStore::~StreamStore() = default;

Result<std::unique_ptr<StreamStore>> StreamStore::open(ItemStore& items)
{
    auto impl = std::make_unique<Impl>();
    impl->connection = &items.connection();
    CAPSIM_RETURN_IF_ERROR(impl->connection->exec(kSchemaSql));
    return std::unique_ptr<StreamStore>(new StreamStore(std::move(impl)));
}

Status StreamStore::createStream(StreamRow& row)
{
    auto stmt = m_impl->statement(
        "INSERT INTO streams(arn, label, table_name, table_id, view_type, pk_name, pk_type, sk_name, sk_type, region,"
        " created, disabled, counter, shard_count) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindText(1, row.arn);
    s.bindText(2, row.label);
    s.bindText(3, row.tableName);
    s.bindInt64(4, row.tableId);
    s.bindInt64(5, static_cast<std::int64_t>(row.viewType));
    s.bindText(6, row.key.partition.name);
    s.bindText(7, attrTypeName(row.key.partition.type));
    if (row.key.sort) {
        s.bindText(8, row.key.sort->name);
        s.bindText(9, attrTypeName(row.key.sort->type));
    } else {
        sqlite3_bind_null(s.handle(), 8);
        sqlite3_bind_null(s.handle(), 9);
    }
    s.bindText(10, row.region);
    s.bindInt64(11, row.createdAt);
    bindOptionalInt64(s, 12, row.disabledAt);
    s.bindInt64(13, row.counter);
    s.bindInt64(14, row.shardCount);
    CAPSIM_RETURN_IF_ERROR(m_impl->run(s, "creating a stream"));
    row.id = sqlite3_last_insert_rowid(m_impl->db());
    return Status::ok();
}

Result<std::optional<StreamRow>> StreamStore::findStream(const std::string& arn)
{
    auto stmt = m_impl->statement("SELECT id, arn, label, table_name, table_id, view_type, pk_name, pk_type, sk_name,"
                                  " sk_type, region, created, disabled, counter, shard_count FROM streams WHERE arn=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, arn);
    auto rows = m_impl->selectStreams(**stmt);
    if (!rows)
        return rows.status();
    return rows->empty() ? std::optional<StreamRow>() : std::optional<StreamRow>(rows->front());
}

Result<std::optional<StreamRow>> StreamStore::streamById(std::int64_t id)
{
    auto stmt = m_impl->statement("SELECT id, arn, label, table_name, table_id, view_type, pk_name, pk_type, sk_name,"
                                  " sk_type, region, created, disabled, counter, shard_count FROM streams WHERE id=?1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindInt64(1, id);
    auto rows = m_impl->selectStreams(**stmt);
    if (!rows)
        return rows.status();
    return rows->empty() ? std::optional<StreamRow>() : std::optional<StreamRow>(rows->front());
}

Result<std::vector<StreamRow>> StreamStore::streams()
{
    auto stmt = m_impl->statement("SELECT id, arn, label, table_name, table_id, view_type, pk_name, pk_type, sk_name,"
                                  " sk_type, region, created, disabled, counter, shard_count FROM streams ORDER BY id");
    if (!stmt)
        return stmt.status();
    return m_impl->selectStreams(**stmt);
}

Status StreamStore::saveStream(const StreamRow& row)
{
    auto stmt = m_impl->statement("UPDATE streams SET disabled=?2, counter=?3, shard_count=?4 WHERE id=?1");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, row.id);
    bindOptionalInt64(s, 2, row.disabledAt);
    s.bindInt64(3, row.counter);
    s.bindInt64(4, row.shardCount);
    return m_impl->run(s, "saving a stream");
}

Status StreamStore::deleteStream(std::int64_t streamId)
{
    for (const char* sql : { "DELETE FROM stream_records WHERE stream=?1", "DELETE FROM stream_shards WHERE stream=?1",
             "DELETE FROM streams WHERE id=?1" }) {
        auto stmt = m_impl->statement(sql);
        if (!stmt)
            return stmt.status();
        (*stmt)->bindInt64(1, streamId);
        CAPSIM_RETURN_IF_ERROR(m_impl->run(**stmt, "deleting a stream"));
    }
    return Status::ok();
}

Result<std::vector<ShardRow>> StreamStore::shards(std::int64_t streamId, bool openOnly)
{
    auto stmt = m_impl->statement(openOnly
            ? "SELECT ordinal, shard_id, parent, hash_low, hash_high, starting, ending, opened, closed, trimmed"
              " FROM stream_shards WHERE stream=?1 AND ending IS NULL ORDER BY ordinal"
            : "SELECT ordinal, shard_id, parent, hash_low, hash_high, starting, ending, opened, closed, trimmed"
              " FROM stream_shards WHERE stream=?1 ORDER BY ordinal");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, streamId);
    std::vector<ShardRow> rows;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        rows.push_back(Impl::shardFrom(s));
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading shards");
    s.reset();
    if (!status)
        return status;
    return rows;
}

Result<std::optional<ShardRow>> StreamStore::findShard(std::int64_t streamId, const std::string& shardId)
{
    auto stmt = m_impl->statement("SELECT ordinal, shard_id, parent, hash_low, hash_high, starting, ending, opened,"
                                  " closed, trimmed FROM stream_shards WHERE stream=?1 AND shard_id=?2");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, streamId);
    s.bindText(2, shardId);
    std::optional<ShardRow> found;
    const int rc = s.step();
    if (rc == SQLITE_ROW)
        found = Impl::shardFrom(s);
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading a shard");
    s.reset();
    if (!status)
        return status;
    return found;
}

Status StreamStore::putShard(std::int64_t streamId, const ShardRow& row)
{
    auto stmt = m_impl->statement(
        "INSERT OR REPLACE INTO stream_shards(stream, ordinal, shard_id, parent, hash_low, hash_high, starting, ending,"
        " opened, closed, trimmed) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    const StreamShard& shard = row.shard;
    s.bindInt64(1, streamId);
    s.bindInt64(2, shard.ordinal);
    s.bindText(3, shard.shardId);
    if (shard.parentShardId)
        s.bindText(4, *shard.parentShardId);
    else
        sqlite3_bind_null(s.handle(), 4);
    s.bindInt64(5, storedHash(shard.hashLow));
    s.bindInt64(6, storedHash(shard.hashHigh));
    s.bindInt64(7, shard.startingSequence);
    bindOptionalInt64(s, 8, shard.endingSequence);
    s.bindInt64(9, shard.openedAt);
    bindOptionalInt64(s, 10, shard.closedAt);
    s.bindInt64(11, row.trimmedThrough);
    return m_impl->run(s, "saving a shard");
}

Status StreamStore::putRecord(std::int64_t streamId, const RecordRow& record)
{
    auto stmt = m_impl->statement(
        "INSERT INTO stream_records(stream, seq, shard, time, event, service, size, keys, new_image, old_image)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, streamId);
    s.bindInt64(2, record.sequence);
    s.bindInt64(3, record.shardOrdinal);
    s.bindInt64(4, record.time);
    s.bindInt64(5, static_cast<std::int64_t>(record.eventName));
    s.bindInt64(6, record.byService ? 1 : 0);
    s.bindInt64(7, record.sizeBytes);
    s.bindBlob(8, record.keys);
    for (int column : { 9, 10 }) {
        const auto& image = column == 9 ? record.newImage : record.oldImage;
        if (image)
            s.bindBlob(column, *image);
        else
            sqlite3_bind_null(s.handle(), column);
    }
    return m_impl->run(s, "writing a stream record");
}

Status StreamStore::readRecords(std::int64_t streamId, std::int64_t shardOrdinal, std::int64_t afterSequence,
    const std::function<bool(const RecordRow&)>& visit)
{
    auto stmt = m_impl->statement("SELECT seq, time, event, service, size, keys, new_image, old_image FROM stream_records"
                                  " WHERE stream=?1 AND shard=?2 AND seq>?3 ORDER BY seq");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, streamId);
    s.bindInt64(2, shardOrdinal);
    s.bindInt64(3, afterSequence);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        RecordRow row;
        row.sequence = s.columnInt64(0);
        row.shardOrdinal = shardOrdinal;
        row.time = s.columnInt64(1);
        row.eventName = static_cast<StreamEventName>(s.columnInt64(2));
        row.byService = s.columnInt64(3) != 0;
        row.sizeBytes = s.columnInt64(4);
        row.keys = std::string(s.columnBlob(5));
        if (!isNull(s, 6))
            row.newImage = std::string(s.columnBlob(6));
        if (!isNull(s, 7))
            row.oldImage = std::string(s.columnBlob(7));
        if (!visit(row)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading stream records");
    s.reset();
    return status;
}

Result<std::optional<EngineTime>> StreamStore::oldestRecordTime(std::int64_t streamId)
{
    auto stmt = m_impl->statement("SELECT min(time) FROM stream_records WHERE stream=?1");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindInt64(1, streamId);
    std::optional<EngineTime> oldest;
    const int rc = s.step();
    if (rc == SQLITE_ROW && !isNull(s, 0))
        oldest = s.columnInt64(0);
    Status status = sqlite::statusFrom(rc, m_impl->db(), "reading stream records");
    s.reset();
    if (!status)
        return status;
    return oldest;
}

Status StreamStore::trim(std::int64_t streamId, EngineTime cutoff)
{
    // Most calls find nothing to trim: one indexed probe decides.
    auto probe = m_impl->statement("SELECT 1 FROM stream_records WHERE stream=?1 AND time<?2 LIMIT 1");
    if (!probe)
        return probe.status();
    (*probe)->bindInt64(1, streamId);
    (*probe)->bindInt64(2, cutoff);
    const int rc = (*probe)->step();
    const bool due = rc == SQLITE_ROW;
    Status status = sqlite::statusFrom(rc, m_impl->db(), "probing stream records");
    (*probe)->reset();
    CAPSIM_RETURN_IF_ERROR(status);
    const char* steps[] = {
        "UPDATE stream_shards SET trimmed=max(trimmed, (SELECT max(seq) FROM stream_records r WHERE r.stream=?1"
        " AND r.shard=stream_shards.ordinal AND r.time<?2)) WHERE stream=?1 AND EXISTS(SELECT 1 FROM stream_records r"
        " WHERE r.stream=?1 AND r.shard=stream_shards.ordinal AND r.time<?2)",
        "DELETE FROM stream_records WHERE stream=?1 AND time<?2",
        "DELETE FROM stream_shards WHERE stream=?1 AND closed IS NOT NULL AND closed<?2",
    };
    for (std::size_t i = due ? 0 : 2; i < std::size(steps); ++i) {
        auto stmt = m_impl->statement(steps[i]);
        if (!stmt)
            return stmt.status();
        (*stmt)->bindInt64(1, streamId);
        (*stmt)->bindInt64(2, cutoff);
        CAPSIM_RETURN_IF_ERROR(m_impl->run(**stmt, "trimming a stream"));
    }
    return Status::ok();
}

} // namespace capsim

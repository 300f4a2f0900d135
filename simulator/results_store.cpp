#include "simulator/results_store.h"

#include "engine/sqlite/sql_database.h"

#include <array>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace capsim {

namespace {

// Version 2 stores every figure in a named column (version 1 read positional columns and had no
// place for index figures or `cost.indexes`).
// Version 3 adds the data features' cost lines, their use, the TTL figures and the minutes' TTL deletions.
// Version 4 adds the stream figures (tables' stream columns, stream_consumers).
// Version 5 adds DAX (tables' dax columns and cost line, the minutes' DAX columns) and global
// tables (the tables' region and replication cost, the minutes' replication columns,
// replica_summaries, and each replica's full figures in table_replicas).
constexpr const char* kFormat = "capsim-results/6";

std::int64_t i64(const SqlValue& v)
{
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return *i;
    if (const auto* d = std::get_if<double>(&v))
        return static_cast<std::int64_t>(*d);
    return 0;
}

double dbl(const SqlValue& v)
{
    if (const auto* d = std::get_if<double>(&v))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i);
    return 0;
}

std::string str(const SqlValue& v)
{
    const auto* s = std::get_if<std::string>(&v);
    return s ? *s : std::string();
}

// One stored figure of a T: its column, and how it is written and read back. Each SQL table's
// columns are listed once below, so what is written is what is read, by name.
template <typename T>
struct Column {
    const char* name;
    const char* sqlType;
    SqlValue (*get)(const T&);
    void (*set)(T&, const SqlValue&);
};

#define CAPSIM_INT(T, column, member)                                                                                  \
    Column<T> { column, "INTEGER", [](const T& x) -> SqlValue { return static_cast<std::int64_t>(x.member); },       \
        [](T& x, const SqlValue& v) { x.member = i64(v); } }
#define CAPSIM_REAL(T, column, member)                                                                                 \
    Column<T> { column, "REAL", [](const T& x) -> SqlValue { return static_cast<double>(x.member); },                \
        [](T& x, const SqlValue& v) { x.member = dbl(v); } }

// A DaxSummary figure of a table's column (0 without a cluster; read after daxNodes made it).
#define CAPSIM_DAX(column, sqlType, member, read)                                                                      \
    Column<TableResult> { column, sqlType,                                                                             \
        [](const TableResult& t) -> SqlValue { return t.dax ? SqlValue(t.dax->member) : SqlValue(decltype(t.dax->member)(0)); }, \
        [](TableResult& t, const SqlValue& v) {                                                                        \
            if (t.dax)                                                                                                 \
                t.dax->member = read(v);                                                                               \
        } }

// The figures of a table or of one of its secondary indexes (tables and table_indexes).
const std::vector<Column<TableResult>>& tableColumns()
{
    using T = TableResult;
    static const std::vector<Column<T>> columns = {
        { "name", "TEXT NOT NULL", [](const T& t) -> SqlValue { return t.name; },
            [](T& t, const SqlValue& v) { t.name = str(v); } },
        { "indexKind", "TEXT NOT NULL",
            [](const T& t) -> SqlValue {
                return std::string(!t.indexKind ? "" : *t.indexKind == IndexKind::Global ? "GSI" : "LSI");
            },
            [](T& t, const SqlValue& v) {
                const std::string kind = str(v);
                t.indexKind = kind == "GSI" ? std::optional(IndexKind::Global)
                    : kind == "LSI"         ? std::optional(IndexKind::Local)
                                            : std::nullopt;
            } },
        { "billingMode", "TEXT NOT NULL", [](const T& t) -> SqlValue { return std::string(billingModeName(t.billingMode)); },
            [](T& t, const SqlValue& v) { parseBillingMode(str(v), t.billingMode); } },
        { "tableClass", "TEXT NOT NULL", [](const T& t) -> SqlValue { return std::string(tableClassName(t.tableClass)); },
            [](T& t, const SqlValue& v) { parseTableClass(str(v), t.tableClass); } },
        CAPSIM_INT(T, "requestsRead", requestsRead),
        CAPSIM_INT(T, "requestsWrite", requestsWrite),
        CAPSIM_INT(T, "throttledRead", throttledRead),
        CAPSIM_INT(T, "throttledWrite", throttledWrite),
        CAPSIM_INT(T, "failedRead", failedRead),
        CAPSIM_INT(T, "failedWrite", failedWrite),
        CAPSIM_REAL(T, "consumedRead", consumedRead),
        CAPSIM_REAL(T, "consumedWrite", consumedWrite),
        CAPSIM_REAL(T, "unitHoursRead", provisionedUnitHoursRead),
        CAPSIM_REAL(T, "unitHoursWrite", provisionedUnitHoursWrite),
        CAPSIM_INT(T, "partitionsInitial", partitionsInitial),
        CAPSIM_INT(T, "partitionsFinal", partitionsFinal),
        CAPSIM_INT(T, "splits", splits),
        CAPSIM_INT(T, "storageBytes", storageBytes),
        CAPSIM_INT(T, "scaleOuts", scaleOuts),
        CAPSIM_INT(T, "scaleIns", scaleIns),
        CAPSIM_REAL(T, "costRead", cost.read),
        CAPSIM_REAL(T, "costWrite", cost.write),
        CAPSIM_REAL(T, "costStorage", cost.storage),
        CAPSIM_REAL(T, "costFreeTier", cost.freeTier),
        CAPSIM_REAL(T, "costIndexes", cost.indexes),
        CAPSIM_REAL(T, "costStreams", cost.streams),
        CAPSIM_REAL(T, "costPitr", cost.pitr),
        CAPSIM_REAL(T, "costBackups", cost.backups),
        CAPSIM_REAL(T, "costRestore", cost.restore),
        CAPSIM_REAL(T, "costExport", cost.dataExport),
        CAPSIM_REAL(T, "costImport", cost.dataImport),
        CAPSIM_INT(T, "usesStreams", uses.streams),
        CAPSIM_INT(T, "usesPitr", uses.pitr),
        CAPSIM_INT(T, "usesBackups", uses.backups),
        CAPSIM_INT(T, "usesRestore", uses.restore),
        CAPSIM_INT(T, "usesExport", uses.dataExport),
        CAPSIM_INT(T, "usesImport", uses.dataImport),
        // TTL figures: ttlExpired is -1 for a table without TTL.
        { "ttlExpired", "INTEGER NOT NULL", [](const T& t) -> SqlValue { return t.ttl ? t.ttl->expired : std::int64_t(-1); },
            [](T& t, const SqlValue& v) {
                if (i64(v) >= 0)
                    t.ttl = TtlSummary { i64(v), 0, 0 };
            } },
        { "ttlDeleted", "INTEGER NOT NULL", [](const T& t) -> SqlValue { return t.ttl ? t.ttl->deleted : std::int64_t(0); },
            [](T& t, const SqlValue& v) {
                if (t.ttl)
                    t.ttl->deleted = i64(v);
            } },
        { "ttlMeanDelaySeconds", "REAL NOT NULL",
            [](const T& t) -> SqlValue { return t.ttl ? t.ttl->meanDelaySeconds : 0.0; },
            [](T& t, const SqlValue& v) {
                if (t.ttl)
                    t.ttl->meanDelaySeconds = dbl(v);
            } },
        // Stream figures: streamRecords is -1 for a table without a stream (its consumers are in
        // stream_consumers).
        { "streamRecords", "INTEGER NOT NULL",
            [](const T& t) -> SqlValue { return t.streams ? t.streams->records : std::int64_t(-1); },
            [](T& t, const SqlValue& v) {
                if (i64(v) >= 0) {
                    t.streams = StreamSummary {};
                    t.streams->records = i64(v);
                }
            } },
        { "streamReadRequestUnits", "INTEGER NOT NULL",
            [](const T& t) -> SqlValue { return t.streams ? t.streams->readRequestUnits : std::int64_t(0); },
            [](T& t, const SqlValue& v) {
                if (t.streams)
                    t.streams->readRequestUnits = i64(v);
            } },
        { "streamCdcUnits", "INTEGER NOT NULL",
            [](const T& t) -> SqlValue { return t.streams ? t.streams->changeDataCaptureUnits : std::int64_t(0); },
            [](T& t, const SqlValue& v) {
                if (t.streams)
                    t.streams->changeDataCaptureUnits = i64(v);
            } },
        CAPSIM_REAL(T, "alternativeModeCost", alternativeModeCost),
        // DAX and global tables (format 5; daxOffloadedReadCost format 6).
        CAPSIM_REAL(T, "costDax", cost.dax),
        CAPSIM_REAL(T, "costReplication", cost.replication),
        CAPSIM_INT(T, "usesDax", uses.dax),
        CAPSIM_INT(T, "usesReplication", uses.replication),
        { "region", "TEXT NOT NULL", [](const T& t) -> SqlValue { return t.region; },
            [](T& t, const SqlValue& v) { t.region = str(v); } },
        // DAX figures: daxNodes is -1 for a table without a cluster (then the others are 0).
        { "daxNodes", "INTEGER NOT NULL", [](const T& t) -> SqlValue { return t.dax ? t.dax->nodes : std::int64_t(-1); },
            [](T& t, const SqlValue& v) {
                if (i64(v) >= 0) {
                    t.dax = DaxSummary {};
                    t.dax->nodes = i64(v);
                }
            } },
        { "daxNodeType", "TEXT NOT NULL", [](const T& t) -> SqlValue { return t.dax ? t.dax->nodeType : std::string(); },
            [](T& t, const SqlValue& v) {
                if (t.dax)
                    t.dax->nodeType = str(v);
            } },
        CAPSIM_DAX("daxHits", "INTEGER NOT NULL", hits, i64),
        CAPSIM_DAX("daxMisses", "INTEGER NOT NULL", misses, i64),
        CAPSIM_DAX("daxPassThrough", "INTEGER NOT NULL", passThrough, i64),
        CAPSIM_DAX("daxStaleReads", "INTEGER NOT NULL", staleReads, i64),
        CAPSIM_DAX("daxThrottled", "INTEGER NOT NULL", throttled, i64),
        CAPSIM_DAX("daxOffloadedReadUnits", "REAL NOT NULL", offloadedReadUnits, dbl),
        CAPSIM_DAX("daxOffloadedReadCost", "REAL NOT NULL", offloadedReadCost, dbl),
        CAPSIM_DAX("daxNodeHours", "REAL NOT NULL", nodeHours, dbl),
    };
    return columns;
}

const std::vector<Column<ReplicaSummary>>& replicaSummaryColumns()
{
    using T = ReplicaSummary;
    static const std::vector<Column<T>> columns = {
        { "region", "TEXT NOT NULL", [](const T& r) -> SqlValue { return r.region; },
            [](T& r, const SqlValue& v) { r.region = str(v); } },
        CAPSIM_INT(T, "replicatedWrites", replicatedWrites),
        CAPSIM_REAL(T, "maxLagSeconds", maxLagSeconds),
        CAPSIM_INT(T, "conflicts", conflicts),
        CAPSIM_INT(T, "storageBytes", storageBytes),
    };
    return columns;
}

const std::vector<Column<StreamConsumerSummary>>& streamConsumerColumns()
{
    using T = StreamConsumerSummary;
    static const std::vector<Column<T>> columns = {
        { "name", "TEXT NOT NULL", [](const T& c) -> SqlValue { return c.name; }, [](T& c, const SqlValue& v) { c.name = str(v); } },
        { "kind", "TEXT NOT NULL", [](const T& c) -> SqlValue { return c.kind; }, [](T& c, const SqlValue& v) { c.kind = str(v); } },
        CAPSIM_INT(T, "batches", batches),
        CAPSIM_INT(T, "reads", reads),
        CAPSIM_INT(T, "records", records),
        CAPSIM_INT(T, "writes", writes),
        CAPSIM_INT(T, "throttledWrites", throttledWrites),
        CAPSIM_REAL(T, "maxLagSeconds", maxLagSeconds),
    };
    return columns;
}

const std::vector<Column<MinuteRow>>& minuteColumns()
{
    using T = MinuteRow;
    static const std::vector<Column<T>> columns = {
        CAPSIM_INT(T, "minute", minute),
        CAPSIM_REAL(T, "provisionedRead", provisionedRead),
        CAPSIM_REAL(T, "provisionedWrite", provisionedWrite),
        CAPSIM_REAL(T, "consumedRead", consumedRead),
        CAPSIM_REAL(T, "consumedWrite", consumedWrite),
        CAPSIM_INT(T, "requestsRead", requestsRead),
        CAPSIM_INT(T, "requestsWrite", requestsWrite),
        CAPSIM_INT(T, "throttledRead", throttledRead),
        CAPSIM_INT(T, "throttledWrite", throttledWrite),
        CAPSIM_INT(T, "failedRead", failedRead),
        CAPSIM_INT(T, "failedWrite", failedWrite),
        CAPSIM_INT(T, "partitions", partitions),
        CAPSIM_REAL(T, "costToDate", costToDate),
        CAPSIM_REAL(T, "latencyP50Ms", latencyP50Ms),
        CAPSIM_REAL(T, "latencyP99Ms", latencyP99Ms),
        CAPSIM_INT(T, "ttlDeletions", ttlDeletions),
        CAPSIM_INT(T, "storageBytes", storageBytes),
        CAPSIM_INT(T, "streamRecords", streamRecords),
        CAPSIM_INT(T, "streamReadRequests", streamReadRequests),
        CAPSIM_REAL(T, "consumerLagSeconds", consumerLagSeconds),
        CAPSIM_REAL(T, "dataCostToDate", dataCostToDate),
        CAPSIM_INT(T, "daxHits", daxHits),
        CAPSIM_INT(T, "daxMisses", daxMisses),
        CAPSIM_INT(T, "daxStaleReads", daxStaleReads),
        CAPSIM_INT(T, "daxCacheBytes", daxCacheBytes),
        CAPSIM_REAL(T, "daxNodeUtilisation", daxNodeUtilisation),
        CAPSIM_INT(T, "replicatedWrites", replicatedWrites),
        CAPSIM_INT(T, "conflicts", conflicts),
        CAPSIM_INT(T, "replicationBacklog", replicationBacklog),
        CAPSIM_REAL(T, "replicationLagSeconds", replicationLagSeconds),
    };
    return columns;
}

const std::vector<Column<PartitionMinuteRow>>& partitionColumns()
{
    using T = PartitionMinuteRow;
    static const std::vector<Column<T>> columns = {
        CAPSIM_INT(T, "minute", minute),
        CAPSIM_INT(T, "partition", partition),
        CAPSIM_REAL(T, "consumedRead", consumedRead),
        CAPSIM_REAL(T, "consumedWrite", consumedWrite),
        CAPSIM_INT(T, "throttledRead", throttledRead),
        CAPSIM_INT(T, "throttledWrite", throttledWrite),
        CAPSIM_INT(T, "sizeBytes", sizeBytes),
        CAPSIM_REAL(T, "limitUtilisation", limitUtilisation),
    };
    return columns;
}

const std::vector<Column<HotKey>>& hotKeyColumns()
{
    using T = HotKey;
    static const std::vector<Column<T>> columns = {
        { "key", "TEXT NOT NULL", [](const T& k) -> SqlValue { return k.key; }, [](T& k, const SqlValue& v) { k.key = str(v); } },
        CAPSIM_INT(T, "requests", requests),
        CAPSIM_INT(T, "throttled", throttled),
    };
    return columns;
}

const std::vector<Column<RunEvent>>& eventColumns()
{
    using T = RunEvent;
    static const std::vector<Column<T>> columns = {
        CAPSIM_REAL(T, "time", timeSeconds),
        { "tableName", "TEXT NOT NULL", [](const T& e) -> SqlValue { return e.table; },
            [](T& e, const SqlValue& v) { e.table = str(v); } },
        { "kind", "TEXT NOT NULL", [](const T& e) -> SqlValue { return std::string(eventKindName(e.kind)); },
            [](T& e, const SqlValue& v) { e.kind = parseEventKind(str(v)).value_or(EventKind::EventApplied); } },
        // The text for people reading the database; capsim reads the kind and payload. Read in
        // this order: a payload that does not parse leaves the text (UnparsedDetail).
        { "detail", "TEXT NOT NULL", [](const T& e) -> SqlValue { return eventText(e); },
            [](T& e, const SqlValue& v) { e.payload = UnparsedDetail { str(v) }; } },
        { "payload", "TEXT NOT NULL", [](const T& e) -> SqlValue { return eventPayloadJson(e.payload); },
            [](T& e, const SqlValue& v) {
                if (auto payload = parseEventPayload(e.kind, str(v)))
                    e.payload = std::move(payload).value();
            } },
    };
    return columns;
}

const std::vector<Column<LatencySummary>>& latencyColumns()
{
    using T = LatencySummary;
    static const std::vector<Column<T>> columns = {
        CAPSIM_INT(T, "count", count),
        CAPSIM_REAL(T, "p50Ms", p50Ms),
        CAPSIM_REAL(T, "p90Ms", p90Ms),
        CAPSIM_REAL(T, "p99Ms", p99Ms),
        CAPSIM_REAL(T, "p999Ms", p999Ms),
        CAPSIM_REAL(T, "maxMs", maxMs),
    };
    return columns;
}

// A backup, restore, export or import of a table (data_movements; reference A8, A9).
const std::vector<Column<DataMovement>>& dataMovementColumns()
{
    using T = DataMovement;
    static const std::vector<Column<T>> columns = {
        CAPSIM_REAL(T, "time", timeSeconds),
        { "name", "TEXT NOT NULL", [](const T& m) -> SqlValue { return m.name; }, [](T& m, const SqlValue& v) { m.name = str(v); } },
        { "status", "TEXT NOT NULL", [](const T& m) -> SqlValue { return m.status; },
            [](T& m, const SqlValue& v) { m.status = str(v); } },
        CAPSIM_INT(T, "sizeBytes", sizeBytes),
        CAPSIM_INT(T, "itemCount", itemCount),
        { "detail", "TEXT NOT NULL", [](const T& m) -> SqlValue { return m.detail; },
            [](T& m, const SqlValue& v) { m.detail = str(v); } },
        CAPSIM_REAL(T, "cost", cost),
    };
    return columns;
}

#undef CAPSIM_INT
#undef CAPSIM_REAL
#undef CAPSIM_DAX

// A stored SQL table: its key columns (written first), then T's columns.
template <typename T>
struct StoredTable {
    std::string name;
    std::vector<std::pair<std::string, std::string>> keys; // name, SQL type
    const std::vector<Column<T>>& columns;
    std::string primaryKey;

    std::string createSql() const
    {
        std::string sql = "CREATE TABLE " + name + "(";
        for (const auto& [key, type] : keys)
            sql += key + " " + type + ", ";
        for (const auto& c : columns)
            sql += std::string(c.name) + " " + c.sqlType + ", ";
        return sql + "PRIMARY KEY(" + primaryKey + "));\n";
    }
    std::string insertSql() const
    {
        std::string names, marks;
        for (const auto& key : keys) {
            names += (names.empty() ? "" : ", ") + key.first;
            marks += marks.empty() ? "?" : ", ?";
        }
        for (const auto& c : columns) {
            names += std::string(", ") + c.name;
            marks += ", ?";
        }
        return "INSERT INTO " + name + "(" + names + ") VALUES(" + marks + ")";
    }
    SqlRow row(SqlRow keyValues, const T& value) const
    {
        for (const auto& c : columns)
            keyValues.push_back(c.get(value));
        return keyValues;
    }
    // Passes each stored T matching `where` to `add`, in `orderBy` order.
    Status read(SqlDatabase& db, const std::string& where, const SqlRow& parameters, const std::string& orderBy,
        const std::function<void(T)>& add) const
    {
        std::string names;
        for (const auto& c : columns)
            names += (names.empty() ? "" : ", ") + std::string(c.name);
        return db.query("SELECT " + names + " FROM " + name + " WHERE " + where + " ORDER BY " + orderBy, parameters,
            [&](const SqlRow& r) {
                T value;
                for (std::size_t i = 0; i < columns.size(); ++i)
                    columns[i].set(value, r[i]);
                add(std::move(value));
                return true;
            });
    }
};

const StoredTable<TableResult> kTables { "tables", { { "run", "INTEGER NOT NULL" }, { "position", "INTEGER NOT NULL" } },
    tableColumns(), "run, position" };
// A table's secondary indexes, in creation order; their series are stored under "<table>/<index>".
const StoredTable<TableResult> kIndexes { "table_indexes",
    { { "run", "INTEGER NOT NULL" }, { "tablePosition", "INTEGER NOT NULL" }, { "position", "INTEGER NOT NULL" } },
    tableColumns(), "run, tablePosition, position" };
const StoredTable<MinuteRow> kMinutes { "timeseries", { { "run", "INTEGER NOT NULL" }, { "tableName", "TEXT NOT NULL" } },
    minuteColumns(), "run, tableName, minute" };
const StoredTable<PartitionMinuteRow> kPartitions { "partitions",
    { { "run", "INTEGER NOT NULL" }, { "tableName", "TEXT NOT NULL" } }, partitionColumns(),
    "run, tableName, minute, partition" };
const StoredTable<HotKey> kHotKeys { "hot_keys",
    { { "run", "INTEGER NOT NULL" }, { "tableName", "TEXT NOT NULL" }, { "rank", "INTEGER NOT NULL" } },
    hotKeyColumns(), "run, tableName, rank" };
const StoredTable<RunEvent> kEvents { "events", { { "run", "INTEGER NOT NULL" }, { "position", "INTEGER NOT NULL" } },
    eventColumns(), "run, position" };
// A table's stream consumers, in the scenario's order.
const StoredTable<StreamConsumerSummary> kStreamConsumers { "stream_consumers",
    { { "run", "INTEGER NOT NULL" }, { "tablePosition", "INTEGER NOT NULL" }, { "position", "INTEGER NOT NULL" } },
    streamConsumerColumns(), "run, tablePosition, position" };
// A global table's replica summaries (this table's own first), in the table's order.
const StoredTable<ReplicaSummary> kReplicaSummaries { "replica_summaries",
    { { "run", "INTEGER NOT NULL" }, { "tablePosition", "INTEGER NOT NULL" }, { "position", "INTEGER NOT NULL" } },
    replicaSummaryColumns(), "run, tablePosition, position" };
// The full figures of a global table's other replicas, in `replicas` order; their series are
// stored under "<table>@<position>" (and their indexes' under "<table>@<position>/<index>").
const StoredTable<TableResult> kReplicas { "table_replicas",
    { { "run", "INTEGER NOT NULL" }, { "tablePosition", "INTEGER NOT NULL" }, { "position", "INTEGER NOT NULL" } },
    tableColumns(), "run, tablePosition, position" };
const StoredTable<TableResult> kReplicaIndexes { "table_replica_indexes",
    { { "run", "INTEGER NOT NULL" }, { "tablePosition", "INTEGER NOT NULL" }, { "replicaPosition", "INTEGER NOT NULL" },
        { "position", "INTEGER NOT NULL" } },
    tableColumns(), "run, tablePosition, replicaPosition, position" };

std::string replicaStoredName(const TableResult& table, std::size_t position)
{
    return table.name + "@" + std::to_string(position);
}

const StoredTable<LatencySummary> kLatency { "latency", { { "run", "INTEGER NOT NULL" }, { "name", "TEXT NOT NULL" } },
    latencyColumns(), "run, name" };

// A table's backups, restores, exports and imports: kind "backup", "restore", "export" or "import".
// Added within format 3: a database without this SQL table reads as having none.
const StoredTable<DataMovement> kDataMovements { "data_movements",
    { { "run", "INTEGER NOT NULL" }, { "tableName", "TEXT NOT NULL" }, { "kind", "TEXT NOT NULL" },
        { "position", "INTEGER NOT NULL" } },
    dataMovementColumns(), "run, tableName, kind, position" };

// The data movement lists of a TableResult, by their stored kind.
const std::array<std::pair<const char*, std::vector<DataMovement> TableResult::*>, 4> kMovementLists { {
    { "backup", &TableResult::backups },
    { "restore", &TableResult::restores },
    { "export", &TableResult::exports },
    { "import", &TableResult::imports },
} };

const char* kRunsSchema = R"sql(
CREATE TABLE capsim_results(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs(id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, description TEXT NOT NULL, seed INTEGER NOT NULL,
  simulatedSeconds REAL NOT NULL, fidelityMode TEXT NOT NULL, fidelityRate REAL NOT NULL, pricing TEXT NOT NULL,
  currency TEXT NOT NULL, cancelled INTEGER NOT NULL, scenarioJson TEXT NOT NULL, summaryJson TEXT NOT NULL,
  partitionLimitRead REAL NOT NULL, partitionLimitWrite REAL NOT NULL);
)sql";

// The series and hot keys of a table or index, stored under `storedName`.
void addSeries(std::int64_t id, const std::string& storedName, const TableResult& t, std::vector<SqlRow>& minutes,
    std::vector<SqlRow>& partitions, std::vector<SqlRow>& hot)
{
    for (const auto& m : t.minutes)
        minutes.push_back(kMinutes.row({ id, storedName }, m));
    for (const auto& p : t.partitionMinutes)
        partitions.push_back(kPartitions.row({ id, storedName }, p));
    for (std::size_t k = 0; k < t.hottestKeys.size(); ++k)
        hot.push_back(kHotKeys.row({ id, storedName, static_cast<std::int64_t>(k) }, t.hottestKeys[k]));
}

Status readSeries(SqlDatabase& db, const std::string& storedName, TableResult& t)
{
    CAPSIM_RETURN_IF_ERROR(kMinutes.read(db, "run=1 AND tableName=?", { storedName }, "minute",
        [&](MinuteRow m) { t.minutes.push_back(m); }));
    CAPSIM_RETURN_IF_ERROR(kPartitions.read(db, "run=1 AND tableName=?", { storedName }, "minute, partition",
        [&](PartitionMinuteRow p) { t.partitionMinutes.push_back(p); }));
    return kHotKeys.read(
        db, "run=1 AND tableName=?", { storedName }, "rank", [&](HotKey k) { t.hottestKeys.push_back(std::move(k)); });
}

} // namespace

Status writeResultsDatabase(const std::string& path, const RunResult& run, const std::string& scenarioJson,
    const std::string& summaryJsonText)
{
    auto opened = SqlDatabase::open(path);
    if (!opened)
        return opened.status();
    SqlDatabase& db = **opened;
    CAPSIM_RETURN_IF_ERROR(db.exec("PRAGMA journal_mode=DELETE; BEGIN;"));
    CAPSIM_RETURN_IF_ERROR(db.exec(std::string(kRunsSchema) + kTables.createSql() + kIndexes.createSql()
        + kMinutes.createSql() + kPartitions.createSql() + kEvents.createSql() + kHotKeys.createSql()
        + kLatency.createSql() + kDataMovements.createSql() + kStreamConsumers.createSql() + kReplicaSummaries.createSql()
        + kReplicas.createSql() + kReplicaIndexes.createSql()));
    CAPSIM_RETURN_IF_ERROR(db.executeMany("INSERT INTO capsim_results(key, value) VALUES('format', ?)", { { std::string(kFormat) } }));
    const std::int64_t id = 1;
    CAPSIM_RETURN_IF_ERROR(db.executeMany(
        "INSERT INTO runs(id, scenario, description, seed, simulatedSeconds, fidelityMode, fidelityRate, pricing, "
        "currency, cancelled, scenarioJson, summaryJson, partitionLimitRead, partitionLimitWrite) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        { { id, run.scenario, run.description, static_cast<std::int64_t>(run.seed), run.simulatedSeconds,
            std::string(fidelityModeName(run.fidelityMode)), run.fidelityRate,
            run.pricingLabel, run.currency, static_cast<std::int64_t>(run.cancelled), scenarioJson, summaryJsonText,
            run.partitionLimits[Dimension::Read], run.partitionLimits[Dimension::Write] } }));
    std::vector<SqlRow> tables, indexes, minutes, partitions, hot, movements, consumers;
    std::vector<SqlRow> replicaSummaries, replicas, replicaIndexes;
    for (std::size_t i = 0; i < run.tables.size(); ++i) {
        const auto& t = run.tables[i];
        tables.push_back(kTables.row({ id, static_cast<std::int64_t>(i) }, t));
        for (const auto& [kind, list] : kMovementLists)
            for (std::size_t k = 0; k < (t.*list).size(); ++k)
                movements.push_back(
                    kDataMovements.row({ id, t.name, std::string(kind), static_cast<std::int64_t>(k) }, (t.*list)[k]));
        if (t.streams)
            for (std::size_t k = 0; k < t.streams->consumers.size(); ++k)
                consumers.push_back(kStreamConsumers.row(
                    { id, static_cast<std::int64_t>(i), static_cast<std::int64_t>(k) }, t.streams->consumers[k]));
        addSeries(id, t.name, t, minutes, partitions, hot);
        // Index series under "<table>/<index>", like the CSV files.
        for (std::size_t k = 0; k < t.indexes.size(); ++k) {
            indexes.push_back(kIndexes.row({ id, static_cast<std::int64_t>(i), static_cast<std::int64_t>(k) }, t.indexes[k]));
            addSeries(id, t.name + "/" + t.indexes[k].name, t.indexes[k], minutes, partitions, hot);
        }
        const auto position = static_cast<std::int64_t>(i);
        for (std::size_t k = 0; k < t.replicaSummaries.size(); ++k)
            replicaSummaries.push_back(kReplicaSummaries.row({ id, position, static_cast<std::int64_t>(k) }, t.replicaSummaries[k]));
        for (std::size_t k = 0; k < t.replicas.size(); ++k) {
            const auto& replica = t.replicas[k];
            const std::string stored = replicaStoredName(t, k);
            replicas.push_back(kReplicas.row({ id, position, static_cast<std::int64_t>(k) }, replica));
            addSeries(id, stored, replica, minutes, partitions, hot);
            for (std::size_t x = 0; x < replica.indexes.size(); ++x) {
                replicaIndexes.push_back(kReplicaIndexes.row(
                    { id, position, static_cast<std::int64_t>(k), static_cast<std::int64_t>(x) }, replica.indexes[x]));
                addSeries(id, stored + "/" + replica.indexes[x].name, replica.indexes[x], minutes, partitions, hot);
            }
        }
    }
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kReplicaSummaries.insertSql(), replicaSummaries));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kReplicas.insertSql(), replicas));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kReplicaIndexes.insertSql(), replicaIndexes));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kTables.insertSql(), tables));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kIndexes.insertSql(), indexes));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kMinutes.insertSql(), minutes));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kPartitions.insertSql(), partitions));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kHotKeys.insertSql(), hot));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kDataMovements.insertSql(), movements));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kStreamConsumers.insertSql(), consumers));
    std::vector<SqlRow> events;
    for (std::size_t i = 0; i < run.events.size(); ++i)
        events.push_back(kEvents.row({ id, static_cast<std::int64_t>(i) }, run.events[i]));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kEvents.insertSql(), events));
    std::vector<SqlRow> latency;
    for (const auto& [name, l] : run.latency)
        latency.push_back(kLatency.row({ id, name }, l));
    CAPSIM_RETURN_IF_ERROR(db.executeMany(kLatency.insertSql(), latency));
    return db.exec("COMMIT;");
}

Result<RunResult> readResultsDatabase(const std::string& path)
{
    auto opened = SqlDatabase::open(path);
    if (!opened)
        return opened.status();
    SqlDatabase& db = **opened;
    std::string format;
    Status s = db.query("SELECT value FROM capsim_results WHERE key='format'", {}, [&](const SqlRow& row) {
        format = str(row[0]);
        return false;
    });
    if (!s || format.rfind("capsim-results/", 0) != 0)
        return Status::internal("'" + path + "' is not a capsim results database");
    if (format != kFormat)
        return Status::internal("'" + path + "' was written by another version of capsim (" + format
            + ", this one reads " + kFormat + "): run its scenario again");
    RunResult run;
    CAPSIM_RETURN_IF_ERROR(db.query("SELECT scenario, description, seed, simulatedSeconds, fidelityMode, fidelityRate, "
                                    "pricing, currency, cancelled, partitionLimitRead, partitionLimitWrite FROM runs "
                                    "ORDER BY id LIMIT 1",
        {}, [&](const SqlRow& r) {
            run.scenario = str(r[0]);
            run.description = str(r[1]);
            run.seed = static_cast<std::uint64_t>(i64(r[2]));
            run.simulatedSeconds = dbl(r[3]);
            run.fidelityMode = str(r[4]) == "sampled" ? FidelitySpec::Mode::Sampled
                : str(r[4]) == "fluid"                  ? FidelitySpec::Mode::Fluid
                                                        : FidelitySpec::Mode::Full;
            run.fidelityRate = dbl(r[5]);
            run.pricingLabel = str(r[6]);
            run.currency = str(r[7]);
            run.cancelled = i64(r[8]) != 0;
            run.partitionLimits[Dimension::Read] = dbl(r[9]);
            run.partitionLimits[Dimension::Write] = dbl(r[10]);
            return false;
        }));
    CAPSIM_RETURN_IF_ERROR(
        kTables.read(db, "run=1", {}, "position", [&](TableResult t) { run.tables.push_back(std::move(t)); }));
    for (std::size_t i = 0; i < run.tables.size(); ++i) {
        auto& t = run.tables[i];
        CAPSIM_RETURN_IF_ERROR(readSeries(db, t.name, t));
        CAPSIM_RETURN_IF_ERROR(kIndexes.read(db, "run=1 AND tablePosition=?", { static_cast<std::int64_t>(i) }, "position",
            [&](TableResult index) { t.indexes.push_back(std::move(index)); }));
        for (auto& index : t.indexes)
            CAPSIM_RETURN_IF_ERROR(readSeries(db, t.name + "/" + index.name, index));
        const auto position = static_cast<std::int64_t>(i);
        CAPSIM_RETURN_IF_ERROR(kReplicaSummaries.read(db, "run=1 AND tablePosition=?", { position }, "position",
            [&](ReplicaSummary r) { t.replicaSummaries.push_back(std::move(r)); }));
        CAPSIM_RETURN_IF_ERROR(kReplicas.read(db, "run=1 AND tablePosition=?", { position }, "position",
            [&](TableResult replica) { t.replicas.push_back(std::move(replica)); }));
        for (std::size_t k = 0; k < t.replicas.size(); ++k) {
            auto& replica = t.replicas[k];
            const std::string stored = replicaStoredName(t, k);
            CAPSIM_RETURN_IF_ERROR(readSeries(db, stored, replica));
            CAPSIM_RETURN_IF_ERROR(kReplicaIndexes.read(db, "run=1 AND tablePosition=? AND replicaPosition=?",
                { position, static_cast<std::int64_t>(k) }, "position",
                [&](TableResult index) { replica.indexes.push_back(std::move(index)); }));
            for (auto& index : replica.indexes)
                CAPSIM_RETURN_IF_ERROR(readSeries(db, stored + "/" + index.name, index));
        }
        if (t.streams)
            CAPSIM_RETURN_IF_ERROR(kStreamConsumers.read(db, "run=1 AND tablePosition=?", { static_cast<std::int64_t>(i) },
                "position", [&](StreamConsumerSummary c) { t.streams->consumers.push_back(std::move(c)); }));
    }
    bool hasMovements = false;
    CAPSIM_RETURN_IF_ERROR(db.query("SELECT name FROM sqlite_master WHERE type='table' AND name='data_movements'", {},
        [&](const SqlRow&) {
            hasMovements = true;
            return false;
        }));
    if (hasMovements)
        for (auto& t : run.tables)
            for (const auto& [kind, list] : kMovementLists)
                CAPSIM_RETURN_IF_ERROR(kDataMovements.read(db, "run=1 AND tableName=? AND kind=?",
                    { t.name, std::string(kind) }, "position", [&, l = list](DataMovement m) { (t.*l).push_back(std::move(m)); }));
    CAPSIM_RETURN_IF_ERROR(
        kEvents.read(db, "run=1", {}, "position", [&](RunEvent e) { run.events.push_back(std::move(e)); }));
    CAPSIM_RETURN_IF_ERROR(db.query("SELECT name FROM latency WHERE run=1 ORDER BY name", {}, [&](const SqlRow& r) {
        run.latency[str(r[0])];
        return true;
    }));
    for (auto& entry : run.latency) {
        LatencySummary& summary = entry.second;
        CAPSIM_RETURN_IF_ERROR(
            kLatency.read(db, "run=1 AND name=?", { entry.first }, "name", [&](LatencySummary l) { summary = l; }));
    }
    return run;
}

Result<std::string> readResultsScenario(const std::string& path)
{
    auto opened = SqlDatabase::open(path);
    if (!opened)
        return opened.status();
    std::optional<std::string> scenario;
    Status s = (*opened)->query("SELECT scenarioJson FROM runs ORDER BY id LIMIT 1", {}, [&](const SqlRow& row) {
        scenario = str(row[0]);
        return false;
    });
    if (!s || !scenario)
        return Status::internal("'" + path + "' is not a capsim results database");
    return *scenario;
}

} // namespace capsim

#include "simulator/results_store.h"

#include "engine/sqlite/sql_database.h"

namespace capsim {

namespace {

const char* kSchema = R"sql(
CREATE TABLE capsim_results(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs(id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, description TEXT NOT NULL, seed INTEGER NOT NULL,
  simulatedSeconds REAL NOT NULL, fidelityMode TEXT NOT NULL, fidelityRate REAL NOT NULL, pricing TEXT NOT NULL,
  currency TEXT NOT NULL, cancelled INTEGER NOT NULL, scenarioJson TEXT NOT NULL, summaryJson TEXT NOT NULL);
CREATE TABLE tables(run INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, billingMode TEXT NOT NULL,
  tableClass TEXT NOT NULL, requestsRead INTEGER, requestsWrite INTEGER, throttledRead INTEGER, throttledWrite INTEGER,
  failedRead INTEGER, failedWrite INTEGER, consumedRead REAL, consumedWrite REAL, unitHoursRead REAL, unitHoursWrite REAL,
  partitionsInitial INTEGER, partitionsFinal INTEGER, splits INTEGER, storageBytes INTEGER, scaleOuts INTEGER,
  scaleIns INTEGER, costRead REAL, costWrite REAL, costStorage REAL, costFreeTier REAL, alternativeModeCost REAL,
  PRIMARY KEY(run, position));
CREATE TABLE timeseries(run INTEGER NOT NULL, minute INTEGER NOT NULL, tableName TEXT NOT NULL,
  provisionedRead REAL, provisionedWrite REAL, consumedRead REAL, consumedWrite REAL, requestsRead INTEGER,
  requestsWrite INTEGER, throttledRead INTEGER, throttledWrite INTEGER, failedRead INTEGER, failedWrite INTEGER,
  partitions INTEGER, costToDate REAL, latencyP50Ms REAL, latencyP99Ms REAL, PRIMARY KEY(run, tableName, minute));
CREATE TABLE partitions(run INTEGER NOT NULL, minute INTEGER NOT NULL, tableName TEXT NOT NULL, partition INTEGER NOT NULL,
  consumedRead REAL, consumedWrite REAL, throttledRead INTEGER, throttledWrite INTEGER, sizeBytes INTEGER,
  limitUtilisation REAL, PRIMARY KEY(run, tableName, minute, partition));
CREATE TABLE events(run INTEGER NOT NULL, position INTEGER NOT NULL, time REAL NOT NULL, tableName TEXT NOT NULL,
  kind TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY(run, position));
CREATE TABLE hot_keys(run INTEGER NOT NULL, tableName TEXT NOT NULL, rank INTEGER NOT NULL, key TEXT NOT NULL,
  requests INTEGER, throttled INTEGER, PRIMARY KEY(run, tableName, rank));
CREATE TABLE latency(run INTEGER NOT NULL, name TEXT NOT NULL, count INTEGER, p50Ms REAL, p90Ms REAL, p99Ms REAL,
  p999Ms REAL, maxMs REAL, PRIMARY KEY(run, name));
INSERT INTO capsim_results(key, value) VALUES('format', 'capsim-results/1');
)sql";

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

} // namespace

Status writeResultsDatabase(const std::string& path, const RunResult& run, const std::string& scenarioJson,
    const std::string& summaryJsonText)
{
    auto opened = SqlDatabase::open(path);
    if (!opened)
        return opened.status();
    SqlDatabase& db = **opened;
    CAPSIM_RETURN_IF_ERROR(db.exec("PRAGMA journal_mode=DELETE; BEGIN;"));
    CAPSIM_RETURN_IF_ERROR(db.exec(kSchema));
    const std::int64_t id = 1;
    CAPSIM_RETURN_IF_ERROR(db.executeMany("INSERT INTO runs VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        { { id, run.scenario, run.description, static_cast<std::int64_t>(run.seed), run.simulatedSeconds,
            std::string(run.fidelityMode == FidelitySpec::Mode::Sampled ? "sampled" : "full"), run.fidelityRate,
            run.pricingLabel, run.currency, static_cast<std::int64_t>(run.cancelled), scenarioJson, summaryJsonText } }));
    std::vector<SqlRow> tables, minutes, partitions, hot;
    for (std::size_t i = 0; i < run.tables.size(); ++i) {
        const auto& t = run.tables[i];
        tables.push_back({ id, static_cast<std::int64_t>(i), t.name, std::string(billingModeName(t.billingMode)),
            std::string(tableClassName(t.tableClass)), t.requestsRead, t.requestsWrite, t.throttledRead, t.throttledWrite,
            t.failedRead, t.failedWrite, t.consumedRead, t.consumedWrite, t.provisionedUnitHoursRead,
            t.provisionedUnitHoursWrite, t.partitionsInitial, t.partitionsFinal, t.splits, t.storageBytes, t.scaleOuts,
            t.scaleIns, t.cost.read, t.cost.write, t.cost.storage, t.cost.freeTier, t.alternativeModeCost });
        for (const auto& m : t.minutes)
            minutes.push_back({ id, m.minute, t.name, m.provisionedRead, m.provisionedWrite, m.consumedRead, m.consumedWrite,
                m.requestsRead, m.requestsWrite, m.throttledRead, m.throttledWrite, m.failedRead, m.failedWrite,
                m.partitions, m.costToDate, m.latencyP50Ms, m.latencyP99Ms });
        for (const auto& p : t.partitionMinutes)
            partitions.push_back({ id, p.minute, t.name, p.partition, p.consumedRead, p.consumedWrite, p.throttledRead,
                p.throttledWrite, p.sizeBytes, p.limitUtilisation });
        // Index rows under "<table>/<index>", like the CSV files (the summary JSON holds the rest).
        for (const auto& index : t.indexes) {
            const std::string name = t.name + "/" + index.name;
            for (const auto& m : index.minutes)
                minutes.push_back({ id, m.minute, name, m.provisionedRead, m.provisionedWrite, m.consumedRead,
                    m.consumedWrite, m.requestsRead, m.requestsWrite, m.throttledRead, m.throttledWrite, m.failedRead,
                    m.failedWrite, m.partitions, m.costToDate, m.latencyP50Ms, m.latencyP99Ms });
            for (const auto& p : index.partitionMinutes)
                partitions.push_back({ id, p.minute, name, p.partition, p.consumedRead, p.consumedWrite, p.throttledRead,
                    p.throttledWrite, p.sizeBytes, p.limitUtilisation });
        }
        for (std::size_t k = 0; k < t.hottestKeys.size(); ++k)
            hot.push_back({ id, t.name, static_cast<std::int64_t>(k), t.hottestKeys[k].key, t.hottestKeys[k].requests,
                t.hottestKeys[k].throttled });
    }
    CAPSIM_RETURN_IF_ERROR(db.executeMany("INSERT INTO tables VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", tables));
    CAPSIM_RETURN_IF_ERROR(db.executeMany("INSERT INTO timeseries VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", minutes));
    CAPSIM_RETURN_IF_ERROR(db.executeMany("INSERT INTO partitions VALUES(?,?,?,?,?,?,?,?,?,?)", partitions));
    CAPSIM_RETURN_IF_ERROR(db.executeMany("INSERT INTO hot_keys VALUES(?,?,?,?,?,?)", hot));
    std::vector<SqlRow> events;
    for (std::size_t i = 0; i < run.events.size(); ++i) {
        const auto& e = run.events[i];
        events.push_back({ id, static_cast<std::int64_t>(i), e.timeSeconds, e.table, e.kind, e.detail });
    }
    CAPSIM_RETURN_IF_ERROR(db.executeMany("INSERT INTO events VALUES(?,?,?,?,?,?)", events));
    std::vector<SqlRow> latency;
    for (const auto& [name, l] : run.latency)
        latency.push_back({ id, name, l.count, l.p50Ms, l.p90Ms, l.p99Ms, l.p999Ms, l.maxMs });
    CAPSIM_RETURN_IF_ERROR(db.executeMany("INSERT INTO latency VALUES(?,?,?,?,?,?,?,?)", latency));
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
    if (!s || format != "capsim-results/1")
        return Status::internal("'" + path + "' is not a capsim results database");
    RunResult run;
    CAPSIM_RETURN_IF_ERROR(db.query("SELECT scenario, description, seed, simulatedSeconds, fidelityMode, fidelityRate, "
                                    "pricing, currency, cancelled FROM runs ORDER BY id LIMIT 1",
        {}, [&](const SqlRow& r) {
            run.scenario = str(r[0]);
            run.description = str(r[1]);
            run.seed = static_cast<std::uint64_t>(i64(r[2]));
            run.simulatedSeconds = dbl(r[3]);
            run.fidelityMode = str(r[4]) == "sampled" ? FidelitySpec::Mode::Sampled : FidelitySpec::Mode::Full;
            run.fidelityRate = dbl(r[5]);
            run.pricingLabel = str(r[6]);
            run.currency = str(r[7]);
            run.cancelled = i64(r[8]) != 0;
            return false;
        }));
    CAPSIM_RETURN_IF_ERROR(db.query("SELECT * FROM tables WHERE run=1 ORDER BY position", {}, [&](const SqlRow& r) {
        TableResult t;
        t.name = str(r[2]);
        parseBillingMode(str(r[3]), t.billingMode);
        parseTableClass(str(r[4]), t.tableClass);
        t.requestsRead = i64(r[5]);
        t.requestsWrite = i64(r[6]);
        t.throttledRead = i64(r[7]);
        t.throttledWrite = i64(r[8]);
        t.failedRead = i64(r[9]);
        t.failedWrite = i64(r[10]);
        t.consumedRead = dbl(r[11]);
        t.consumedWrite = dbl(r[12]);
        t.provisionedUnitHoursRead = dbl(r[13]);
        t.provisionedUnitHoursWrite = dbl(r[14]);
        t.partitionsInitial = i64(r[15]);
        t.partitionsFinal = i64(r[16]);
        t.splits = i64(r[17]);
        t.storageBytes = i64(r[18]);
        t.scaleOuts = i64(r[19]);
        t.scaleIns = i64(r[20]);
        t.cost.read = dbl(r[21]);
        t.cost.write = dbl(r[22]);
        t.cost.storage = dbl(r[23]);
        t.cost.freeTier = dbl(r[24]);
        t.alternativeModeCost = dbl(r[25]);
        run.tables.push_back(std::move(t));
        return true;
    }));
    for (auto& t : run.tables) {
        CAPSIM_RETURN_IF_ERROR(db.query("SELECT * FROM timeseries WHERE run=1 AND tableName=? ORDER BY minute", { t.name },
            [&](const SqlRow& r) {
                MinuteRow m;
                m.minute = i64(r[1]);
                m.provisionedRead = dbl(r[3]);
                m.provisionedWrite = dbl(r[4]);
                m.consumedRead = dbl(r[5]);
                m.consumedWrite = dbl(r[6]);
                m.requestsRead = i64(r[7]);
                m.requestsWrite = i64(r[8]);
                m.throttledRead = i64(r[9]);
                m.throttledWrite = i64(r[10]);
                m.failedRead = i64(r[11]);
                m.failedWrite = i64(r[12]);
                m.partitions = i64(r[13]);
                m.costToDate = dbl(r[14]);
                m.latencyP50Ms = dbl(r[15]);
                m.latencyP99Ms = dbl(r[16]);
                t.minutes.push_back(m);
                return true;
            }));
        CAPSIM_RETURN_IF_ERROR(db.query("SELECT * FROM partitions WHERE run=1 AND tableName=? ORDER BY minute, partition",
            { t.name }, [&](const SqlRow& r) {
                PartitionMinuteRow p;
                p.minute = i64(r[1]);
                p.partition = i64(r[3]);
                p.consumedRead = dbl(r[4]);
                p.consumedWrite = dbl(r[5]);
                p.throttledRead = i64(r[6]);
                p.throttledWrite = i64(r[7]);
                p.sizeBytes = i64(r[8]);
                p.limitUtilisation = dbl(r[9]);
                t.partitionMinutes.push_back(p);
                return true;
            }));
        CAPSIM_RETURN_IF_ERROR(db.query("SELECT key, requests, throttled FROM hot_keys WHERE run=1 AND tableName=? ORDER BY rank",
            { t.name }, [&](const SqlRow& r) {
                t.hottestKeys.push_back({ str(r[0]), i64(r[1]), i64(r[2]) });
                return true;
            }));
    }
    CAPSIM_RETURN_IF_ERROR(db.query("SELECT time, tableName, kind, detail FROM events WHERE run=1 ORDER BY position", {},
        [&](const SqlRow& r) {
            run.events.push_back({ dbl(r[0]), str(r[1]), str(r[2]), str(r[3]) });
            return true;
        }));
    CAPSIM_RETURN_IF_ERROR(db.query("SELECT name, count, p50Ms, p90Ms, p99Ms, p999Ms, maxMs FROM latency WHERE run=1", {},
        [&](const SqlRow& r) {
            run.latency[str(r[0])] = { i64(r[1]), dbl(r[2]), dbl(r[3]), dbl(r[4]), dbl(r[5]), dbl(r[6]) };
            return true;
        }));
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

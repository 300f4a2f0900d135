// Crash consistency of the engine database (issue 13): a child process writes through the engine
// (items, conditional writes, batches, transactions, GSI and LSI upkeep, TTL deletions, backups and
// restores) and is killed with SIGKILL at a random moment, hundreds of times on the same file. After
// each kill the database must open, pass SQLite's integrity check, hold every acknowledged write,
// hold no half-applied batch or transaction, and every index must equal what a scan of its table
// implies.
//
// How it knows: the child's operations are a pure function of (round, index), independent of the
// data, and the child reports each one's index on a pipe once the engine has answered it. The test
// runs the same operations on a simple model. The child executes one operation at a time, so after
// the kill the database must equal the model after the N reported operations, or after N + 1 (the
// one in flight, committed but not yet reported) — exactly, table by table, backup by backup.
// CAPSIM_CRASH_ROUNDS (default 300) and CAPSIM_CRASH_SEED (default 1) change the run.

#include "engine/dispatcher.h"
#include "tests/support/wire.h"

#include <QtTest>

#include <csignal>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <utility>
#include <sys/wait.h>
#include <unistd.h>

using namespace capsim;
using capsim::test::J;
using capsim::test::parse;

namespace {

constexpr const char* kTable = "Crash";
constexpr int kPartitionKeys = 30;
constexpr int kSortKeys = 4;
constexpr int kTtlKeys = 20;
constexpr std::int64_t kFirstSecond = 1'700'000'000;
constexpr std::int64_t kRoundSeconds = 400'000;
// Every TTL item expires before it is written; the check runs after TTL's longest delay (48 h).
constexpr std::int64_t kCheckAfterSeconds = 300'000;

using Key = std::pair<std::string, int>; // pk, sk

struct Row {
    std::int64_t v = 0;
    std::int64_t c = 0;
    std::string g; // empty: no g attribute (not in the GSI)
    std::size_t payload = 0;
    bool operator==(const Row&) const = default;
};
using Rows = std::map<Key, Row>;

struct Model {
    Rows items; // the table's items, TTL items excluded (they are all deleted by check time)
    std::map<std::string, Rows> backups; // backup name -> the items it holds
    std::map<std::string, Rows> restored; // restored table -> its items
    std::string lastBackup; // this round's latest backup, which a restore restores
};

std::int64_t secondOf(int round, int index)
{
    return kFirstSecond + static_cast<std::int64_t>(round) * kRoundSeconds + index;
}

EngineTime timeOf(std::int64_t second)
{
    return second * 1'000'000;
}

std::string itemJson(const Key& key, const Row& row, std::optional<std::int64_t> expires = std::nullopt)
{
    std::string json = J("{'pk':{'S':'") + key.first + J("'},'sk':{'N':'") + std::to_string(key.second)
        + J("'},'v':{'N':'") + std::to_string(row.v) + J("'},'c':{'N':'") + std::to_string(row.c) + J("'},'p':{'S':'")
        + std::string(row.payload, 'x') + J("'}");
    if (!row.g.empty())
        json += J(",'g':{'S':'") + row.g + J("'}");
    if (expires)
        json += J(",'exp':{'N':'") + std::to_string(*expires) + J("'}");
    return json + "}";
}

std::string keyJson(const Key& key)
{
    return J("{'pk':{'S':'") + key.first + J("'},'sk':{'N':'") + std::to_string(key.second) + J("'}}");
}

// One operation: the calls the child makes and what they do to the model.
struct Op {
    enum class Kind { Put, Update, Delete, Batch, Transact, TtlPut, Backup, Restore } kind = Kind::Put;
    struct Write {
        enum class Action { Put, Update, Delete, Check } action = Action::Put;
        Key key;
        Row row; // Put: the item; Update: v, payload and g ("-" removes g)
        bool onlyIfAbsent = false; // Put: attribute_not_exists(pk)
        bool onlyIfPresent = false; // Update / Check: attribute_exists(pk)
    };
    std::vector<Write> writes;
    std::int64_t second = 0;
    std::string name; // Backup: the backup's name; Restore: the target table
};

// The operation `index` of round `round`: a pure function of both.
Op operationAt(int round, int index, std::uint64_t seed)
{
    std::mt19937_64 random(seed * 0x9E3779B97F4A7C15ULL ^ (static_cast<std::uint64_t>(round) << 32)
        ^ static_cast<std::uint64_t>(index));
    const auto uniform = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
    const auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(random) < p; };
    const auto anyKey = [&]() {
        return Key { "k" + std::to_string(uniform(0, kPartitionKeys - 1)), uniform(0, kSortKeys - 1) };
    };
    const auto distinctKeys = [&](int count) {
        std::set<Key> keys;
        while (static_cast<int>(keys.size()) < count)
            keys.insert(anyKey());
        return std::vector<Key>(keys.begin(), keys.end());
    };
    const std::int64_t v = static_cast<std::int64_t>(round) * 1'000'000 + index;
    const auto row = [&]() {
        Row r;
        r.v = v;
        r.payload = static_cast<std::size_t>(uniform(1, 3000));
        r.g = chance(0.7) ? "g" + std::to_string(uniform(0, 9)) : std::string();
        return r;
    };
    Op op;
    op.second = secondOf(round, index);
    const double pick = std::uniform_real_distribution<double>(0, 1)(random);
    using Action = Op::Write::Action;
    if (round % 4 == 0 && pick < 0.04) {
        op.kind = Op::Kind::Backup;
        op.name = "b" + std::to_string(round) + "_" + std::to_string(index);
    } else if (round % 4 == 0 && pick < 0.08) {
        op.kind = Op::Kind::Restore;
        op.name = "R" + std::to_string(round) + "_" + std::to_string(index);
    } else if (pick < 0.30) {
        op.kind = Op::Kind::Put;
        op.writes.push_back({ Action::Put, anyKey(), row(), chance(0.25), false });
    } else if (pick < 0.50) {
        op.kind = Op::Kind::Update;
        Row r = row();
        if (r.g.empty() && chance(0.5))
            r.g = "-";
        op.writes.push_back({ Action::Update, anyKey(), r, false, chance(0.3) });
    } else if (pick < 0.60) {
        op.kind = Op::Kind::Delete;
        op.writes.push_back({ Action::Delete, anyKey(), {}, false, false });
    } else if (pick < 0.75) {
        op.kind = Op::Kind::Batch;
        for (const Key& key : distinctKeys(uniform(2, 25)))
            op.writes.push_back({ chance(0.75) ? Action::Put : Action::Delete, key, row(), false, false });
    } else if (pick < 0.92) {
        op.kind = Op::Kind::Transact;
        for (const Key& key : distinctKeys(uniform(2, 4))) {
            const int what = uniform(0, 3);
            if (what == 0)
                op.writes.push_back({ Action::Put, key, row(), chance(0.3), false });
            else if (what == 1)
                op.writes.push_back({ Action::Update, key, row(), false, chance(0.3) });
            else if (what == 2)
                op.writes.push_back({ Action::Delete, key, {}, false, false });
            else
                op.writes.push_back({ Action::Check, key, {}, false, true });
        }
    } else {
        op.kind = Op::Kind::TtlPut;
        Row r = row();
        r.g = "g" + std::to_string(uniform(0, 9)); // in the GSI: TTL deletions keep it up too
        op.writes.push_back({ Action::Put, Key { "t" + std::to_string(uniform(0, kTtlKeys - 1)), 0 }, r, false, false });
    }
    return op;
}

bool conditionHolds(const Rows& items, const Op::Write& w)
{
    const bool exists = items.count(w.key) > 0;
    return !(w.onlyIfAbsent && exists) && !(w.onlyIfPresent && !exists);
}

void applyWrite(Rows& items, const Op::Write& w)
{
    switch (w.action) {
    case Op::Write::Action::Put: {
        Row r = w.row;
        r.c = 0;
        items[w.key] = r;
        break;
    }
    case Op::Write::Action::Update: {
        auto found = items.find(w.key);
        Row r = found == items.end() ? Row {} : found->second;
        r.v = w.row.v;
        r.payload = w.row.payload;
        r.c += 1;
        if (w.row.g == "-")
            r.g.clear();
        else if (!w.row.g.empty())
            r.g = w.row.g;
        items[w.key] = r;
        break;
    }
    case Op::Write::Action::Delete: items.erase(w.key); break;
    case Op::Write::Action::Check: break;
    }
}

void applyToModel(Model& model, const Op& op)
{
    switch (op.kind) {
    case Op::Kind::Put:
    case Op::Kind::Update:
    case Op::Kind::Transact:
        // One condition failing cancels the whole operation.
        for (const auto& w : op.writes)
            if (!conditionHolds(model.items, w))
                return;
        for (const auto& w : op.writes)
            applyWrite(model.items, w);
        break;
    case Op::Kind::Delete:
    case Op::Kind::Batch:
        for (const auto& w : op.writes)
            applyWrite(model.items, w);
        break;
    case Op::Kind::TtlPut: break; // deleted by TTL before any check
    case Op::Kind::Backup:
        model.backups[op.name] = model.items;
        model.lastBackup = op.name;
        break;
    case Op::Kind::Restore:
        // Each backup is restored once (a second restore while the first runs is BackupInUseException).
        if (!model.lastBackup.empty())
            model.restored[op.name] = model.backups.at(model.lastBackup);
        model.lastBackup.clear();
        break;
    }
}

std::string updateJson(const Op::Write& w, bool inTransaction)
{
    std::string set = "SET v = :v, p = :p";
    std::string values = J("{':v':{'N':'") + std::to_string(w.row.v) + J("'},':p':{'S':'") + std::string(w.row.payload, 'x')
        + J("'},':one':{'N':'1'}");
    std::string remove;
    if (w.row.g == "-") {
        remove = " REMOVE g";
    } else if (!w.row.g.empty()) {
        set += ", g = :g";
        values += J(",':g':{'S':'") + w.row.g + J("'}");
    }
    std::string json = J("{'TableName':'") + kTable + J("','Key':") + keyJson(w.key) + J(",'UpdateExpression':'") + set
        + remove + J(" ADD c :one','ExpressionAttributeValues':") + values + "}";
    if (w.onlyIfPresent)
        json += J(",'ConditionExpression':'attribute_exists(pk)'");
    static_cast<void>(inTransaction);
    return json + "}";
}

std::string putJson(const Op::Write& w, std::optional<std::int64_t> expires = std::nullopt)
{
    Row r = w.row;
    r.c = 0;
    std::string json = J("{'TableName':'") + kTable + J("','Item':") + itemJson(w.key, r, expires);
    if (w.onlyIfAbsent)
        json += J(",'ConditionExpression':'attribute_not_exists(pk)'");
    return json + "}";
}

// Runs one operation in the engine (the child); false when the engine answered something the
// operation cannot get (the child then exits with a failure code).
bool execute(Dispatcher& d, const Op& op, std::string& lastBackupArn)
{
    const EngineTime now = timeOf(op.second);
    const auto run = [&](const char* operation, const std::string& request) {
        return d.dispatch(operation, parse(request), now);
    };
    const auto expected = [&](const WireResponse& r, std::string_view allowedError) {
        if (!r.isError())
            return true;
        const auto* type = r.body.as_object().if_contains("__type");
        if (!allowedError.empty() && type && std::string_view(type->as_string()).ends_with(allowedError))
            return true;
        std::fprintf(stderr, "crash-consistency writer: operation %d answered %s\n", static_cast<int>(op.kind),
            toJsonText(r.body).c_str());
        return false;
    };
    using Action = Op::Write::Action;
    switch (op.kind) {
    case Op::Kind::Put: return expected(run("PutItem", putJson(op.writes[0])), "ConditionalCheckFailedException");
    case Op::Kind::Update:
        return expected(run("UpdateItem", updateJson(op.writes[0], false)), "ConditionalCheckFailedException");
    case Op::Kind::Delete:
        return expected(run("DeleteItem", J("{'TableName':'") + kTable + J("','Key':") + keyJson(op.writes[0].key) + "}"), {});
    case Op::Kind::TtlPut: return expected(run("PutItem", putJson(op.writes[0], op.second - 10)), {});
    case Op::Kind::Batch: {
        std::string writes;
        for (const auto& w : op.writes) {
            writes += writes.empty() ? "" : ",";
            if (w.action == Action::Put) {
                Row r = w.row;
                r.c = 0;
                writes += J("{'PutRequest':{'Item':") + itemJson(w.key, r) + "}}";
            } else {
                writes += J("{'DeleteRequest':{'Key':") + keyJson(w.key) + "}}";
            }
        }
        return expected(run("BatchWriteItem", J("{'RequestItems':{'") + kTable + J("':[") + writes + "]}}"), {});
    }
    case Op::Kind::Transact: {
        std::string items;
        for (const auto& w : op.writes) {
            items += items.empty() ? "" : ",";
            switch (w.action) {
            case Action::Put: items += J("{'Put':") + putJson(w) + "}"; break;
            case Action::Update: items += J("{'Update':") + updateJson(w, true) + "}"; break;
            case Action::Delete:
                items += J("{'Delete':{'TableName':'") + kTable + J("','Key':") + keyJson(w.key) + "}}";
                break;
            case Action::Check:
                items += J("{'ConditionCheck':{'TableName':'") + kTable + J("','Key':") + keyJson(w.key)
                    + J(",'ConditionExpression':'attribute_exists(pk)'}}");
                break;
            }
        }
        return expected(run("TransactWriteItems", J("{'TransactItems':[") + items + "]}"), "TransactionCanceledException");
    }
    case Op::Kind::Backup: {
        auto r = run("CreateBackup", J("{'TableName':'") + kTable + J("','BackupName':'") + op.name + J("'}"));
        if (r.isError())
            return false;
        lastBackupArn = std::string(r.body.at("BackupDetails").at("BackupArn").as_string());
        return true;
    }
    case Op::Kind::Restore:
        if (lastBackupArn.empty())
            return true; // no backup in this round yet: nothing to restore (the model does the same)
    {
        const std::string arn = std::exchange(lastBackupArn, std::string());
        return expected(
            run("RestoreTableFromBackup", J("{'TargetTableName':'") + op.name + J("','BackupArn':'") + arn + J("'}")), {});
    }
    }
    return false;
}

[[noreturn]] void childWrites(const std::string& db, int round, std::uint64_t seed, int reportFd)
{
    auto engine = Engine::open(db);
    if (!engine)
        _exit(3);
    Dispatcher d(**engine);
    std::string lastBackupArn;
    for (int index = 0;; ++index) {
        if (!execute(d, operationAt(round, index, seed), lastBackupArn))
            _exit(4);
        const std::uint32_t done = static_cast<std::uint32_t>(index);
        if (write(reportFd, &done, sizeof done) != static_cast<ssize_t>(sizeof done))
            _exit(5);
    }
}

// What the engine holds, read back through the API.
struct Observed {
    Rows items;
    std::vector<std::string> ttlLeft; // TTL items still there (none may be at check time)
    std::set<std::tuple<std::string, int, std::string, std::int64_t>> gsi; // pk, sk, g, v
    std::set<std::tuple<std::string, int, std::int64_t>> lsi; // pk, sk, v
    std::vector<std::string> torn; // items missing an attribute every write sets
};

std::vector<boost::json::value> scanAll(Dispatcher& d, const std::string& table, const std::string& index, EngineTime now,
    std::string& error)
{
    std::vector<boost::json::value> all;
    std::optional<boost::json::value> start;
    do {
        std::string request = J("{'TableName':'") + table + J("'");
        if (!index.empty())
            request += J(",'IndexName':'") + index + J("'");
        else
            request += J(",'ConsistentRead':true");
        if (start)
            request += J(",'ExclusiveStartKey':") + toJsonText(*start);
        const WireResponse page = d.dispatch("Scan", parse(request + "}"), now);
        if (page.isError()) {
            error = "Scan " + table + (index.empty() ? "" : "/" + index) + ": " + toJsonText(page.body);
            return {};
        }
        for (const auto& item : page.body.at("Items").as_array())
            all.push_back(item);
        const auto* lek = page.body.as_object().if_contains("LastEvaluatedKey");
        start = lek ? std::optional<boost::json::value>(*lek) : std::nullopt;
    } while (start);
    return all;
}

std::int64_t numberOf(const boost::json::value& item, const char* name)
{
    return std::stoll(std::string(item.at(name).at("N").as_string()));
}

Observed observe(Dispatcher& d, const std::string& table, EngineTime now, std::string& error)
{
    Observed seen;
    for (const auto& item : scanAll(d, table, {}, now, error)) {
        const auto& object = item.as_object();
        const std::string pk(item.at("pk").at("S").as_string());
        const int sk = static_cast<int>(numberOf(item, "sk"));
        if (!object.contains("v") || !object.contains("c") || !object.contains("p")) {
            seen.torn.push_back(toJsonText(item));
            continue;
        }
        if (pk.starts_with("t")) {
            seen.ttlLeft.push_back(pk);
            continue;
        }
        Row r;
        r.v = numberOf(item, "v");
        r.c = numberOf(item, "c");
        r.payload = item.at("p").at("S").as_string().size();
        if (const auto* g = object.if_contains("g"))
            r.g = std::string(g->at("S").as_string());
        seen.items[{ pk, sk }] = r;
    }
    for (const auto& entry : scanAll(d, table, "byG", now, error))
        seen.gsi.emplace(std::string(entry.at("pk").at("S").as_string()), static_cast<int>(numberOf(entry, "sk")),
            std::string(entry.at("g").at("S").as_string()), numberOf(entry, "v"));
    for (const auto& entry : scanAll(d, table, "byV", now, error))
        seen.lsi.emplace(std::string(entry.at("pk").at("S").as_string()), static_cast<int>(numberOf(entry, "sk")),
            numberOf(entry, "v"));
    return seen;
}

// The index entries a table's items imply (TTL items are all gone by check time).
std::string indexMismatch(const Observed& seen)
{
    std::set<std::tuple<std::string, int, std::string, std::int64_t>> gsi;
    std::set<std::tuple<std::string, int, std::int64_t>> lsi;
    for (const auto& [key, row] : seen.items) {
        if (!row.g.empty())
            gsi.emplace(key.first, key.second, row.g, row.v);
        lsi.emplace(key.first, key.second, row.v);
    }
    if (gsi != seen.gsi)
        return "the GSI byG holds " + std::to_string(seen.gsi.size()) + " entries, its table implies "
            + std::to_string(gsi.size()) + " (or different ones)";
    if (lsi != seen.lsi)
        return "the LSI byV holds " + std::to_string(seen.lsi.size()) + " entries, its table implies "
            + std::to_string(lsi.size()) + " (or different ones)";
    return {};
}

std::string describeDifference(const Rows& seen, const Rows& expected)
{
    for (const auto& [key, row] : expected) {
        auto it = seen.find(key);
        if (it == seen.end())
            return key.first + "/" + std::to_string(key.second) + " (v " + std::to_string(row.v) + ") is missing";
        if (!(it->second == row))
            return key.first + "/" + std::to_string(key.second) + " has v " + std::to_string(it->second.v) + " c "
                + std::to_string(it->second.c) + ", expected v " + std::to_string(row.v) + " c " + std::to_string(row.c);
    }
    for (const auto& [key, row] : seen)
        if (!expected.count(key))
            return key.first + "/" + std::to_string(key.second) + " (v " + std::to_string(row.v) + ") should not be there";
    return {};
}

} // namespace

class TestCrashConsistency : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void killedWritersLeaveAConsistentDatabase()
    {
        const int rounds = qEnvironmentVariableIsSet("CAPSIM_CRASH_ROUNDS") ? qEnvironmentVariableIntValue("CAPSIM_CRASH_ROUNDS") : 300;
        const std::uint64_t seed = qEnvironmentVariableIsSet("CAPSIM_CRASH_SEED")
            ? static_cast<std::uint64_t>(qEnvironmentVariableIntValue("CAPSIM_CRASH_SEED"))
            : 1;
        const std::string db = (m_dir.path() + "/crash.sqlite").toStdString();
        {
            auto engine = std::move(Engine::open(db)).value();
            Dispatcher d(*engine);
            const auto created = d.dispatch("CreateTable", parse(J("{'TableName':'Crash',"
                "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'},"
                "{'AttributeName':'g','AttributeType':'S'},{'AttributeName':'v','AttributeType':'N'}],"
                "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],"
                "'GlobalSecondaryIndexes':[{'IndexName':'byG','KeySchema':[{'AttributeName':'g','KeyType':'HASH'}],"
                "'Projection':{'ProjectionType':'INCLUDE','NonKeyAttributes':['v']}}],"
                "'LocalSecondaryIndexes':[{'IndexName':'byV','KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},"
                "{'AttributeName':'v','KeyType':'RANGE'}],'Projection':{'ProjectionType':'KEYS_ONLY'}}],"
                "'BillingMode':'PAY_PER_REQUEST'}")), timeOf(kFirstSecond - 100));
            QVERIFY2(!created.isError(), toJsonText(created.body).c_str());
            const auto ttl = d.dispatch("UpdateTimeToLive", parse(J("{'TableName':'Crash',"
                "'TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}")), timeOf(kFirstSecond - 50));
            QVERIFY2(!ttl.isError(), toJsonText(ttl.body).c_str());
            QVERIFY(engine->saveClock().isOk());
        }

        std::mt19937_64 random(seed);
        Model model;
        std::int64_t acknowledged = 0;
        int inFlightCommitted = 0;
        for (int round = 0; round < rounds; ++round) {
            int report[2];
            QCOMPARE(pipe(report), 0);
            const pid_t child = fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                close(report[0]);
                childWrites(db, round, seed, report[1]);
            }
            close(report[1]);
            usleep(static_cast<useconds_t>(std::uniform_int_distribution<int>(5'000, 60'000)(random)));
            QCOMPARE(kill(child, SIGKILL), 0);
            int status = 0;
            waitpid(child, &status, 0);
            QVERIFY2(WIFSIGNALED(status), qPrintable(QString("round %1: the writer exited by itself with code %2 (3: open "
                                                             "failed, 4: an unexpected answer)")
                                                          .arg(round)
                                                          .arg(WEXITSTATUS(status))));
            int reported = 0;
            std::uint32_t index = 0;
            while (read(report[0], &index, sizeof index) == static_cast<ssize_t>(sizeof index)) {
                QCOMPARE(index, static_cast<std::uint32_t>(reported));
                ++reported;
            }
            close(report[0]);
            acknowledged += reported;

            // The model after the reported operations, and after one more (in flight when killed).
            model.lastBackup.clear();
            Model acked = model;
            for (int i = 0; i < reported; ++i)
                applyToModel(acked, operationAt(round, i, seed));
            Model withInFlight = acked;
            applyToModel(withInFlight, operationAt(round, reported, seed));

            auto engine = Engine::open(db);
            QVERIFY2(engine.isOk(), qPrintable(QString("round %1: %2").arg(round).arg(QString::fromStdString(engine.status().message()))));
            const Status integrity = (*engine)->checkIntegrity();
            QVERIFY2(integrity.isOk(), qPrintable(QString("round %1: %2").arg(round).arg(QString::fromStdString(integrity.message()))));
            Dispatcher d(**engine);
            // Past every TTL deletion's due time and every restore's completion.
            const EngineTime check = timeOf(secondOf(round, 0) + kCheckAfterSeconds);
            std::string error;
            const Observed seen = observe(d, kTable, check, error);
            QVERIFY2(error.empty(), qPrintable(QString("round %1: %2").arg(round).arg(QString::fromStdString(error))));
            QVERIFY2(seen.torn.empty(), qPrintable(QString("round %1: torn item %2").arg(round).arg(QString::fromStdString(seen.torn.empty() ? std::string() : seen.torn.front()))));
            QVERIFY2(seen.ttlLeft.empty(), qPrintable(QString("round %1: %2 expired TTL items were not deleted").arg(round).arg(seen.ttlLeft.size())));
            const std::string indexes = indexMismatch(seen);
            QVERIFY2(indexes.empty(), qPrintable(QString("round %1: %2").arg(round).arg(QString::fromStdString(indexes))));
            QCOMPARE((*engine)->table(kTable)->itemCount(), static_cast<std::int64_t>(seen.items.size()));

            // Backups and restored tables, as the engine lists them.
            std::set<std::string> backupNames;
            const auto listed = d.dispatch("ListBackups", parse("{}"), check);
            QVERIFY2(!listed.isError(), toJsonText(listed.body).c_str());
            for (const auto& summary : listed.body.at("BackupSummaries").as_array())
                backupNames.insert(std::string(summary.at("BackupName").as_string()));
            std::set<std::string> restoredNames;
            const auto tables = d.dispatch("ListTables", parse("{}"), check);
            QVERIFY2(!tables.isError(), toJsonText(tables.body).c_str());
            for (const auto& name : tables.body.at("TableNames").as_array())
                if (name.as_string() != kTable)
                    restoredNames.insert(std::string(name.as_string()));
            const auto matches = [&](const Model& candidate, std::string& why) {
                if (std::string diff = describeDifference(seen.items, candidate.items); !diff.empty()) {
                    why = diff;
                    return false;
                }
                std::set<std::string> names;
                for (const auto& [name, rows] : candidate.backups)
                    names.insert(name);
                if (names != backupNames) {
                    why = std::to_string(backupNames.size()) + " backups listed, " + std::to_string(names.size()) + " expected";
                    return false;
                }
                std::set<std::string> restoredTables;
                for (const auto& [table, rows] : candidate.restored)
                    restoredTables.insert(table);
                if (restoredTables != restoredNames) {
                    why = std::to_string(restoredNames.size()) + " restored tables listed, " + std::to_string(restoredTables.size())
                        + " expected";
                    return false;
                }
                return true;
            };
            std::string whyNotAcked;
            std::string whyNotInFlight;
            const bool isAcked = matches(acked, whyNotAcked);
            const bool isInFlight = !isAcked && matches(withInFlight, whyNotInFlight);
            QVERIFY2(isAcked || isInFlight,
                qPrintable(QString("round %1 (%2 operations acknowledged): the database matches neither the acknowledged "
                                   "state (%3) nor the one with the operation in flight (%4)")
                               .arg(round)
                               .arg(reported)
                               .arg(QString::fromStdString(whyNotAcked), QString::fromStdString(whyNotInFlight))));
            model = isAcked ? acked : withInFlight;
            inFlightCommitted += isAcked ? 0 : 1;
            // Each restored table holds its backup's items, whole, with its indexes consistent.
            for (const auto& [table, rows] : model.restored) {
                Observed restored = observe(d, table, check, error);
                QVERIFY2(error.empty(), qPrintable(QString::fromStdString(error)));
                QVERIFY2(restored.torn.empty(), qPrintable(QString("restored table %1: torn item").arg(QString::fromStdString(table))));
                restored.ttlLeft.clear(); // a restored table has no TTL: expired items it was given stay
                std::string diff = describeDifference(restored.items, rows);
                QVERIFY2(diff.empty(), qPrintable(QString("restored table %1: %2").arg(QString::fromStdString(table), QString::fromStdString(diff))));
            }
            QVERIFY((*engine)->saveClock().isOk());
        }
        qInfo("%d kills, %lld operations acknowledged, %d in-flight operations found committed, %zu backups, %zu restored tables",
            rounds, static_cast<long long>(acknowledged), inFlightCommitted, model.backups.size(), model.restored.size());
        QVERIFY2(acknowledged > rounds, "the writers acknowledged almost nothing: the kills came too early to test anything");
    }
};

QTEST_GUILESS_MAIN(TestCrashConsistency)
#include "tst_crash_consistency.moc"

#include "engine/sqlite/exchange_store.h"

#include "engine/sqlite/sqlite_handle.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

namespace capsim {

namespace {

constexpr const char* kSchema
    = "CREATE TABLE IF NOT EXISTS exchange_jobs(kind TEXT NOT NULL, arn TEXT NOT NULL, seq INTEGER NOT NULL,"
      " table_arn TEXT NOT NULL, client_token TEXT, record TEXT NOT NULL, due INTEGER,"
      " PRIMARY KEY(kind, arn)) WITHOUT ROWID;"
      "CREATE INDEX IF NOT EXISTS exchange_jobs_seq ON exchange_jobs(kind, seq);"
      "CREATE INDEX IF NOT EXISTS exchange_jobs_due ON exchange_jobs(kind, due) WHERE due IS NOT NULL;";

constexpr const char* kColumns = "kind, arn, seq, table_arn, client_token, record, due";

} // namespace

struct ExchangeStore::Impl {
    sqlite::Connection* connection = nullptr;
    sqlite::StatementCache cached;
    // Per kind, once read: no job is due before this time (nullopt: none is due at all). A lower
    // bound, so that the engine's per-request due() check costs no SQL: put() only lowers it, and
    // a rolled-back put leaves it lower than need be (one more query), never higher.
    std::map<std::string, std::optional<std::int64_t>, std::less<>> earliestDue;

    sqlite3* db() const { return connection->handle(); }

    Result<sqlite::Statement*> statement(const std::string& sql)
    {
        return cached.get(db(), sql);
    }

    static ExchangeJobRow rowFrom(const sqlite::Statement& s)
    {
        ExchangeJobRow row;
        row.kind = std::string(s.columnText(0));
        row.arn = std::string(s.columnText(1));
        row.sequence = s.columnInt64(2);
        row.tableArn = std::string(s.columnText(3));
        if (sqlite3_column_type(s.handle(), 4) != SQLITE_NULL)
            row.clientToken = std::string(s.columnText(4));
        row.record = std::string(s.columnText(5));
        if (sqlite3_column_type(s.handle(), 6) != SQLITE_NULL)
            row.dueAt = s.columnInt64(6);
        return row;
    }

    // Steps `stmt` to the end, passing each row to `visit` (which may stop it), then resets it.
    Status visitRows(sqlite::Statement& stmt, const std::function<bool(const ExchangeJobRow&)>& visit, const char* what)
    {
        // Rows are copied out first: `visit` may write to the table it reads.
        std::vector<ExchangeJobRow> rows;
        int rc;
        while ((rc = stmt.step()) == SQLITE_ROW)
            rows.push_back(rowFrom(stmt));
        Status status = sqlite::statusFrom(rc, db(), what);
        stmt.reset();
        if (!status)
            return status;
        for (const auto& row : rows)
            if (!visit(row))
                break;
        return Status::ok();
    }
};

ExchangeStore::ExchangeStore(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

ExchangeStore::~ExchangeStore() = default;

Result<std::unique_ptr<ExchangeStore>> ExchangeStore::open(ItemStore& items)
{
    auto impl = std::make_unique<Impl>();
    impl->connection = &items.connection();
    CAPSIM_RETURN_IF_ERROR(impl->connection->exec(kSchema));
    return std::unique_ptr<ExchangeStore>(new ExchangeStore(std::move(impl)));
}

Status ExchangeStore::put(ExchangeJobRow& row)
{
    auto existing = find(row.kind, row.arn);
    if (!existing)
        return existing.status();
    if (*existing) {
        row.sequence = (*existing)->sequence;
    } else {
        auto last = m_impl->statement("SELECT coalesce(max(seq), 0) FROM exchange_jobs WHERE kind=?1");
        if (!last)
            return last.status();
        (*last)->bindText(1, row.kind);
        const int rc = (*last)->step();
        row.sequence = rc == SQLITE_ROW ? (*last)->columnInt64(0) + 1 : 1;
        Status status = sqlite::statusFrom(rc, m_impl->db(), "numbering an export or import");
        (*last)->reset();
        CAPSIM_RETURN_IF_ERROR(status);
    }
    if (row.dueAt) {
        auto known = m_impl->earliestDue.find(row.kind);
        if (known != m_impl->earliestDue.end())
            known->second = known->second ? std::min(*known->second, *row.dueAt) : *row.dueAt;
    }
    auto stmt = m_impl->statement(
        "INSERT OR REPLACE INTO exchange_jobs(" + std::string(kColumns) + ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt)
        return stmt.status();
    auto& s = **stmt;
    s.bindText(1, row.kind);
    s.bindText(2, row.arn);
    s.bindInt64(3, row.sequence);
    s.bindText(4, row.tableArn);
    if (row.clientToken)
        s.bindText(5, *row.clientToken);
    else
        sqlite3_bind_null(s.handle(), 5);
    s.bindText(6, row.record);
    if (row.dueAt)
        s.bindInt64(7, *row.dueAt);
    else
        sqlite3_bind_null(s.handle(), 7);
    const int rc = s.step();
    Status status = sqlite::statusFrom(rc, m_impl->db(), "saving an export or import");
    s.reset();
    return status;
}

Result<std::optional<ExchangeJobRow>> ExchangeStore::find(const std::string& kind, const std::string& arn)
{
    auto stmt = m_impl->statement("SELECT " + std::string(kColumns) + " FROM exchange_jobs WHERE kind=?1 AND arn=?2");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, kind);
    (*stmt)->bindText(2, arn);
    std::optional<ExchangeJobRow> found;
    CAPSIM_RETURN_IF_ERROR(m_impl->visitRows(**stmt, [&](const ExchangeJobRow& row) {
        found = row;
        return false;
    }, "reading an export or import"));
    return found;
}

Result<std::optional<ExchangeJobRow>> ExchangeStore::findByClientToken(const std::string& kind, const std::string& token)
{
    auto stmt = m_impl->statement("SELECT " + std::string(kColumns)
        + " FROM exchange_jobs WHERE kind=?1 AND client_token=?2 ORDER BY seq DESC LIMIT 1");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, kind);
    (*stmt)->bindText(2, token);
    std::optional<ExchangeJobRow> found;
    CAPSIM_RETURN_IF_ERROR(m_impl->visitRows(**stmt, [&](const ExchangeJobRow& row) {
        found = row;
        return false;
    }, "reading an export or import"));
    return found;
}

Status ExchangeStore::list(const std::string& kind, const std::optional<std::string>& tableArn,
    std::int64_t afterSequence, const std::function<bool(const ExchangeJobRow&)>& visit)
{
    auto stmt = m_impl->statement("SELECT " + std::string(kColumns)
        + " FROM exchange_jobs WHERE kind=?1 AND seq>?2 AND (?3 IS NULL OR table_arn=?3) ORDER BY seq");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, kind);
    (*stmt)->bindInt64(2, afterSequence);
    if (tableArn)
        (*stmt)->bindText(3, *tableArn);
    else
        sqlite3_bind_null((*stmt)->handle(), 3);
    return m_impl->visitRows(**stmt, visit, "listing exports or imports");
}

Status ExchangeStore::due(const std::string& kind, std::int64_t now, const std::function<bool(const ExchangeJobRow&)>& visit)
{
    auto known = m_impl->earliestDue.find(kind);
    if (known == m_impl->earliestDue.end()) {
        auto earliest = m_impl->statement("SELECT min(due) FROM exchange_jobs WHERE kind=?1 AND due IS NOT NULL");
        if (!earliest)
            return earliest.status();
        (*earliest)->bindText(1, kind);
        const int rc = (*earliest)->step();
        std::optional<std::int64_t> first;
        if (rc == SQLITE_ROW && sqlite3_column_type((*earliest)->handle(), 0) != SQLITE_NULL)
            first = (*earliest)->columnInt64(0);
        Status status = sqlite::statusFrom(rc, m_impl->db(), "reading when exports are due");
        (*earliest)->reset();
        CAPSIM_RETURN_IF_ERROR(status);
        known = m_impl->earliestDue.emplace(kind, first).first;
    }
    if (!known->second || now < *known->second)
        return Status::ok();
    // Some are due: read them, and the bound again next time (the caller updates what it ran).
    m_impl->earliestDue.erase(known);
    auto stmt = m_impl->statement("SELECT " + std::string(kColumns)
        + " FROM exchange_jobs WHERE kind=?1 AND due IS NOT NULL AND due<=?2 ORDER BY due, seq");
    if (!stmt)
        return stmt.status();
    (*stmt)->bindText(1, kind);
    (*stmt)->bindInt64(2, now);
    return m_impl->visitRows(**stmt, visit, "reading exports due");
}

} // namespace capsim

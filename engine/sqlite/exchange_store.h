#pragma once
// ExchangeStore: the records of exports and imports (reference A9) on SQLite, in the engine
// database beside the items and on the same connection, so that an import's record commits in
// the storage transaction of its table and items. One table, exchange_jobs: per job its kind
// ("import", "export"; "kinesis" for Kinesis streaming destinations, engine/kinesis.cpp), ARN, request order, table ARN, ClientToken, the engine's record as JSON
// text, and for an export still to be written the time it completes. Not thread-safe: owned by
// the engine with its ItemStore. This header does not expose SQLite.

#include "engine/sqlite/item_store.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace capsim {

struct ExchangeJobRow {
    std::string kind;
    std::string arn;
    std::int64_t sequence = 0; // request order within the kind, set by put for a new job
    std::string tableArn;
    std::optional<std::string> clientToken;
    std::string record; // JSON text of the engine's record
    std::optional<std::int64_t> dueAt; // work left to do at this engine time
};

class ExchangeStore {
public:
    // Creates the table in `items`' database if missing. `items` must outlive the store.
    static Result<std::unique_ptr<ExchangeStore>> open(ItemStore& items);
    ~ExchangeStore();

    // Inserts a job (numbering it after the kind's last) or replaces the one with its ARN.
    Status put(ExchangeJobRow& row);
    Result<std::optional<ExchangeJobRow>> find(const std::string& kind, const std::string& arn);
    // The latest job of `kind` with this ClientToken.
    Result<std::optional<ExchangeJobRow>> findByClientToken(const std::string& kind, const std::string& token);
    // Jobs of `kind` (of `tableArn` when given) numbered after `afterSequence`, in request order;
    // `visit` returns false to stop.
    Status list(const std::string& kind, const std::optional<std::string>& tableArn, std::int64_t afterSequence,
        const std::function<bool(const ExchangeJobRow&)>& visit);
    // Jobs of `kind` due at or before `now`, in due order.
    Status due(const std::string& kind, std::int64_t now, const std::function<bool(const ExchangeJobRow&)>& visit);

private:
    struct Impl;
    explicit ExchangeStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace capsim

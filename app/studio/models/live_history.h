#pragma once
// LiveHistory: what the studio's Live page knows of an attached `capsim serve`: the latest
// table list of GET /capsim/live and the consumed units and throttles per second it reported,
// merged poll after poll (the latest second is partial until the next poll replaces it), plus
// the rates in force as each poll saw them. Computes the cost so far at the reference's prices
// (reference A5). Value type; GUI thread only in the studio, but it touches no Qt object.

#include "engine/table.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace capsim::studio {

// One table or GSI of the server.
struct LiveEntry {
    QString region;
    QString table;
    QString index; // the GSI's name; empty for a table
    BillingMode billingMode = BillingMode::Provisioned;
    TableClass tableClass = TableClass::Standard;
    double readCapacity = 0; // provisioned units/s as described (0 on demand)
    double writeCapacity = 0;
    // Units/s in force (provisioned, or the on-demand ceiling); none until a request addressed it.
    std::optional<double> readRateInForce;
    std::optional<double> writeRateInForce;
    std::int64_t partitions = 0;
    std::int64_t itemCount = 0;
    std::int64_t sizeBytes = 0;

    // The server's name for it: "table" or "table/index".
    QString metricName() const { return index.isEmpty() ? table : table + QLatin1Char('/') + index; }
    // What the chooser shows: "us-east-1 · Orders" or "us-east-1 · Orders / byStatus".
    QString label() const;
};

struct LiveSecond {
    std::int64_t second = 0; // Unix seconds
    double readUnits = 0;
    double writeUnits = 0;
    std::int64_t readThrottles = 0;
    std::int64_t writeThrottles = 0;
};

class LiveHistory {
public:
    // Merges one /capsim/live answer, fetched with `since` = sinceSecond(): its seconds replace
    // those held from then on. False (with `error`) when `json` is not such an answer.
    bool merge(const QByteArray& json, QString* error);
    // The `since` of the next poll: the latest second received (it may have been partial), or 0.
    std::int64_t sinceSecond() const;

    bool empty() const { return m_now == 0; }
    // The server's clock at the last poll (Unix seconds); 0 before the first.
    std::int64_t now() const { return m_now; }
    // The first second the costs cover: the earliest second received, or the first poll's `now`.
    std::int64_t firstSecond() const { return m_firstSecond; }
    // Every table, each followed by its GSIs, ordered as the server lists them.
    const std::vector<LiveEntry>& entries() const { return m_entries; }
    const LiveEntry* find(const QString& label) const;
    // The entry's seconds in [from, to), one per second, zeros where the server recorded nothing.
    std::vector<LiveSecond> seconds(const LiveEntry& entry, std::int64_t from, std::int64_t to) const;
    // The rate in force (units/s) at `second` as the polls saw it (the first poll's value before
    // it); none when no poll saw one.
    std::optional<double> rateAt(const LiveEntry& entry, bool reads, std::int64_t second) const;
    // What the entry has cost from firstSecond() to now() at `region`'s built-in prices (reference A5):
    // on demand, its consumed units at the per-million request-unit prices; provisioned, its
    // capacity (as described now) for the hours elapsed. Storage is not included.
    double costUsd(const LiveEntry& entry) const;
    // The sum of costUsd over every entry.
    double totalCostUsd() const;

private:
    static QString keyOf(const LiveEntry& entry) { return entry.region + QLatin1Char('|') + entry.metricName(); }

    std::int64_t m_now = 0;
    std::int64_t m_firstSecond = 0;
    std::int64_t m_latestSecond = 0;
    std::vector<LiveEntry> m_entries;
    std::map<QString, std::map<std::int64_t, LiveSecond>> m_seconds; // by keyOf
    // Rates in force seen by each poll, by keyOf, then poll time: (read, write).
    std::map<QString, std::map<std::int64_t, std::pair<std::optional<double>, std::optional<double>>>> m_rates;
};

} // namespace capsim::studio

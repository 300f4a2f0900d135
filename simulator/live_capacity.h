#pragma once
// LiveCapacity: DynamoDB's admission control (reference A3) for requests served live (`capsim
// serve`), on a clock the caller passes in. One CapacityModel per table and per GSI of the
// engine, made when a request first addresses it, following the engine's partitions (splits)
// and capacity settings; an UpdateTable's change comes into force model.updateTableDelay later
// (reference A4). The server calls admit() before dispatching a request and charge() after.
// admit() and charge() read (and charge() may change) the Engine: call them under the lock that
// guards the Engine and its Dispatcher. recentSeconds() has a lock of its own: any thread.

#include "engine/dispatcher.h"
#include "engine/engine.h"
#include "simulator/capacity_model.h"
#include "simulator/dimension.h"
#include "simulator/on_demand_growth.h"
#include "simulator/scenario.h"

#include <boost/json/value.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

class LiveCapacity {
public:
    // `clockSpeed`: how many times faster the engine's clock runs than the clock passed to
    // admit() and charge() (`serve --speed X`); the model's delays (updateTableDelay,
    // onDemandWindow) are engine time, so they pass `clockSpeed` times faster here.
    explicit LiveCapacity(const ModelSpec& model = {}, double clockSpeed = 1.0);

    // Before `operation` runs, at `now` (µs; the wall clock): ok, or the throttle DynamoDB would
    // answer: ProvisionedThroughputExceededException for a provisioned table or GSI,
    // ThrottlingException for an on-demand one (reference A3), with DynamoDB's message. A refused
    // request must not be dispatched (it consumes nothing). Operations other than the item reads
    // and writes (GetItem ... TransactWriteItems) are always ok (call admit for them too: before
    // UpdateTable it notes the settings in force), as is a request this cannot read (missing or
    // mistyped fields, unknown table): the engine answers those. An InternalServerError means
    // the engine failed to read an item for the GSI check.
    Status admit(Engine& engine, std::string_view operation, const boost::json::value& request, EngineTime now);

    // After the request ran: charges the units it consumed (`response.consumed`, per partition
    // of each table and GSI) to their buckets, and takes note of control-plane changes made by
    // it (UpdateTable, DeleteTable) at `now`. Returns an error only when the engine failed to
    // store an on-demand table's raised peak (InternalServerError).
    Status charge(Engine& engine, std::string_view operation, const boost::json::value& request,
        const WireResponse& response, EngineTime now);

    // Consumed units and throttled requests of one table (`table`) or GSI ("table/index") in one
    // whole second of the clock passed in (floor(now / 1 s)).
    struct Second {
        std::string region;
        std::string table;
        std::int64_t second = 0;
        double readUnits = 0;
        double writeUnits = 0;
        std::int64_t readThrottles = 0;
        std::int64_t writeThrottles = 0;
        bool operator==(const Second&) const = default;
    };
    // The seconds from `sinceSecond` on (at most kKeptSeconds back from the latest), ordered by
    // second, then region and table. Safe from any thread.
    std::vector<Second> recentSeconds(std::int64_t sinceSecond) const;
    static constexpr std::int64_t kKeptSeconds = 3600;

    // The read and write rates (units/s) in force for `table` (or "table/index") of `region`:
    // provisioned capacity or the on-demand ceiling; none before a request addressed it.
    std::optional<PerDimension<double>> ratesInForce(const std::string& region, const std::string& table) const;

private:
    // A table's or GSI's settings that set its rates.
    struct Settings {
        BillingMode mode = BillingMode::Provisioned;
        std::int64_t read = 0;
        std::int64_t write = 0;
        std::int64_t peakRead = kOnDemandInitialPeakRead;
        std::int64_t peakWrite = kOnDemandInitialPeakWrite;
        bool sameRates(const Settings& o) const { return mode == o.mode && read == o.read && write == o.write; }
    };
    // One capacity model (a table or a GSI) and what drives its rates.
    struct Track {
        std::int64_t storageId = 0; // the table's or index's id: a new one is a new table or index
        std::string metricName; // "table" or "table/index"
        std::unique_ptr<CapacityModel> model;
        std::vector<std::int64_t> partitionIds;
        Settings seen; // the engine's latest
        Settings inForce;
        std::deque<std::pair<EngineTime, Settings>> pending; // (in force from, settings)
        PerDimension<OnDemandGrowth> growth;
        std::int64_t minute = 0; // the minute whose consumption is being summed
        PerDimension<double> minuteConsumed;
        PerDimension<double> minuteDemand;
    };
    struct TableTrack {
        Track table;
        std::map<std::string, Track> indexes; // GSIs by name
    };
    struct Target; // a table or GSI a request addresses, with its partitions

    // The table's tracks brought up to date with the engine at `now` (nullptr for a table the
    // engine does not have, whose tracks are dropped).
    TableTrack* sync(Engine& engine, const std::string& tableName, EngineTime now, Status& engineStatus);
    void syncTrack(Track& track, const std::vector<Partition>& partitions, const Settings& settings, EngineTime now);
    void applyRates(Track& track, EngineTime now);
    // Closes finished minutes (on-demand previous peak, growth); true when the ceiling changed.
    bool rollMinutes(Track& track, EngineTime now);
    // The tables and GSIs `request` addresses, tables first, one entry each with every
    // partition hash it touches. Fails only when the engine fails to read an item.
    Status collectTargets(
        Engine& engine, std::string_view operation, const boost::json::value& request, std::vector<Target>& targets);
    void noteSecond(const std::string& region, const std::string& table, EngineTime now, Dimension d, double units,
        std::int64_t throttles);

    ModelSpec m_model;
    double m_clockSpeed = 1.0;
    std::map<std::string, TableTrack> m_tables; // by "<region>/<name>"

    mutable std::mutex m_metricsMutex;
    std::map<std::int64_t, std::map<std::pair<std::string, std::string>, Second>> m_seconds;
};

} // namespace capsim

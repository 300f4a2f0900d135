#include "app/cli/live_view.h"

#include <boost/json.hpp>

namespace capsim::cli {

namespace {

boost::json::value rate(const std::optional<PerDimension<double>>& rates, Dimension dimension)
{
    return rates ? boost::json::value((*rates)[dimension]) : boost::json::value(nullptr);
}

// The figures a table and a GSI share: capacity settings, the rates in force, partitions, size.
void describeCapacity(boost::json::object& out, BillingMode mode, std::int64_t readCapacity, std::int64_t writeCapacity,
    const std::optional<PerDimension<double>>& rates, std::size_t partitions, std::int64_t itemCount,
    std::int64_t itemBytes)
{
    out["billingMode"] = billingModeName(mode);
    out["readCapacity"] = readCapacity;
    out["writeCapacity"] = writeCapacity;
    out["readRateInForce"] = rate(rates, Dimension::Read);
    out["writeRateInForce"] = rate(rates, Dimension::Write);
    out["partitions"] = static_cast<std::int64_t>(partitions);
    out["itemCount"] = itemCount;
    // DescribeTable's TableSizeBytes: item bytes, without the 100-byte storage overhead.
    out["sizeBytes"] = itemBytes;
}

} // namespace

boost::json::value liveViewJson(
    const Engine& engine, const LiveCapacity& live, std::int64_t sinceSecond, std::int64_t nowSecond)
{
    boost::json::array tables;
    for (const TableState* table : engine.allTables()) {
        boost::json::object entry;
        entry["region"] = table->region;
        entry["name"] = table->name;
        entry["tableClass"] = tableClassName(table->tableClass);
        describeCapacity(entry, table->billingMode, table->readCapacity, table->writeCapacity,
            live.ratesInForce(table->region, table->name), table->partitions.size(), table->itemCount(),
            table->itemBytes());
        boost::json::array indexes;
        for (const IndexState& index : table->indexes) {
            if (!index.isGlobal())
                continue;
            boost::json::object gsi;
            gsi["name"] = index.name;
            describeCapacity(gsi, table->billingMode, index.readCapacity, index.writeCapacity,
                live.ratesInForce(table->region, table->name + "/" + index.name), index.partitions.size(),
                index.itemCount(), index.itemBytes());
            indexes.push_back(std::move(gsi));
        }
        entry["indexes"] = std::move(indexes);
        tables.push_back(std::move(entry));
    }
    boost::json::array seconds;
    for (const LiveCapacity::Second& s : live.recentSeconds(sinceSecond)) {
        seconds.push_back(boost::json::object { { "region", s.region }, { "table", s.table }, { "second", s.second },
            { "readUnits", s.readUnits }, { "writeUnits", s.writeUnits }, { "readThrottles", s.readThrottles },
            { "writeThrottles", s.writeThrottles } });
    }
    return boost::json::object { { "now", nowSecond }, { "tables", std::move(tables) },
        { "seconds", std::move(seconds) } };
}

} // namespace capsim::cli

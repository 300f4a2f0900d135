#pragma once
// PricingTable: a region's DynamoDB prices (reference A5) loaded from a pricing file
// (resources/pricing/<region>.json, schema "capsim-pricing/1" documented there). Value type.

#include "engine/status.h"
#include "engine/table.h"

#include <cstdint>
#include <map>
#include <string>

namespace capsim {

struct ClassPrices {
    double provisionedReadUnitHour = 0;
    double provisionedWriteUnitHour = 0;
    double onDemandReadPerMillion = 0;
    double onDemandWritePerMillion = 0;
    double storageGBMonth = 0;
};

// Prices of the data features (reference A5; the pricing file's "other" block).
struct DataPrices {
    double pitrGBMonth = 0;
    double backupGBMonth = 0;
    double restorePerGB = 0;
    double exportPerGB = 0;
    double importPerGB = 0;
    double streamReadPer100k = 0;
    double kinesisCdcPerMillion = 0; // Kinesis Data Streams change-data-capture units (C 6.3)
    // Global tables: cross-region transfer per GB of replicated items (reference A11; UNCONFIRMED).
    double crossRegionPerGB = 0.02;
};

struct PricingTable {
    std::string region;
    std::string currency = "USD";
    std::string effectiveDate;
    double hoursPerMonth = 730;
    double bytesPerGB = 1073741824.0;
    ClassPrices standard;
    ClassPrices infrequentAccess;
    double freeStorageGB = 25;
    double freeReadUnits = 25;
    double freeWriteUnits = 25;
    double freeStreamReadRequests = 2500000; // a month
    DataPrices data;
    // DAX node-hours by node type (the file's "other.daxNodeHour"; reference A10, C 6.4).
    std::map<std::string, double> daxNodeHour;

    const ClassPrices& prices(TableClass c) const
    {
        return c == TableClass::Standard ? standard : infrequentAccess;
    }
    std::string label() const { return region + " " + effectiveDate; }
};

// The price rules of the data features (reference A5, A8, A9), in the table's currency. GB is
// `bytesPerGB` bytes (2^30 built in) and a month `hoursPerMonth` hours (730 built in).
// PITR: table + LSI billable bytes per GB-month, for `seconds` while ENABLED.
double pitrCost(const PricingTable& prices, double billableBytes, double seconds);
// On-demand backup storage: the backup's size per GB-month, for `seconds` while it exists.
double backupStorageCost(const PricingTable& prices, double backupBytes, double seconds);
// A restore: per GB of the restored table and indexes, once at its start.
double restoreCost(const PricingTable& prices, double restoredBytes);
// An export: a FULL_EXPORT per GB of its billed size (table + LSI billable bytes); an
// INCREMENTAL_EXPORT per GB of the images it writes, at least 10 MiB.
double exportCost(const PricingTable& prices, double bytes, bool incremental);
// An import: per GB of the uncompressed source bytes processed (items that fail included).
double importCost(const PricingTable& prices, double processedBytes);
// Stream read request units (GetRecords calls; Lambda's and replication's are free and not counted).
double streamReadCost(const PricingTable& prices, double readRequestUnits);
// Kinesis Data Streams for DynamoDB: change-data-capture units (C 6.3).
double changeDataCaptureCost(const PricingTable& prices, double units);
// The CDC units of one item change: 1 per started KB (1,024 bytes) of the larger of the old and
// new image, at least 1 (C 6.3).
std::int64_t changeDataCaptureUnits(std::int64_t oldImageBytes, std::int64_t newImageBytes);

// A DAX node type's price per node-hour (reference A10): the pricing file's entry; else, for an
// r5 size the file does not list, dax.r5.xlarge's price x size / xlarge (DERIVED), and for a t2
// type the t3 type of the same size's (C 6.4 lists equal prices). NotFound when neither exists.
Result<double> daxNodeHourPrice(const PricingTable& prices, const std::string& nodeType);
// DAX node-hours billed for `simulatedSeconds` from t = 0: every node, partial hours as full
// hours (reference A10): ceil(hours) x nodes.
double daxNodeHours(double simulatedSeconds, std::int64_t nodes);
// Global tables (reference A11, C 12): replicated write units priced as single-region write units
// (on-demand per million, the table class's WRU price), and the cross-region transfer of
// `itemBytes` of replicated items per GB.
double replicatedWriteCost(const PricingTable& prices, TableClass tableClass, double writeUnits);
double crossRegionTransferCost(const PricingTable& prices, double itemBytes);
// What `readUnits` offloaded by a DAX cluster would have cost on the table (reference A5, A10):
// on-demand at the table class's RRU price; provisioned at its RCU-hour price per unit-second,
// i.e. capacity that the hits would have used fully (the least provisioning that serves them).
double daxOffloadedReadCost(const PricingTable& prices, BillingMode mode, TableClass tableClass, double readUnits);
// Billable bytes of a replica's items: item bytes + 148 per item (reference A1: a global table's
// overhead instead of 100).
inline constexpr std::int64_t kGlobalTableItemOverheadBytes = 148;
std::int64_t globalTableBillableBytes(std::int64_t itemBytes, std::int64_t itemCount);

// Parses a pricing file's text; errors name the field ("tableClasses.STANDARD.storageGBMonth: ...").
Result<PricingTable> parsePricing(std::string_view jsonText);
// The built-in table for a region (compiled into the binary), or NotFound.
Result<PricingTable> builtInPricing(const std::string& region);

} // namespace capsim

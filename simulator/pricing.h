#pragma once
// PricingTable: a region's DynamoDB prices (reference A5) loaded from a pricing file
// (resources/pricing/<region>.json, schema "capsim-pricing/1" documented there). Value type.

#include "engine/status.h"
#include "engine/table.h"

#include <string>

namespace capsim {

struct ClassPrices {
    double provisionedReadUnitHour = 0;
    double provisionedWriteUnitHour = 0;
    double onDemandReadPerMillion = 0;
    double onDemandWritePerMillion = 0;
    double storageGBMonth = 0;
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

    const ClassPrices& prices(TableClass c) const
    {
        return c == TableClass::Standard ? standard : infrequentAccess;
    }
    std::string label() const { return region + " " + effectiveDate; }
};

// Parses a pricing file's text; errors name the field ("tableClasses.STANDARD.storageGBMonth: ...").
Result<PricingTable> parsePricing(std::string_view jsonText);
// The built-in table for a region (compiled into the binary), or NotFound.
Result<PricingTable> builtInPricing(const std::string& region);

} // namespace capsim

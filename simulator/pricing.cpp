#include "simulator/pricing.h"

#include "engine/json_writer.h"
#include "simulator/embedded_resources.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace capsim {

namespace json = boost::json;

namespace {

bool number(const json::object& o, const char* name, double& out, std::string& error, const std::string& path)
{
    const auto* v = o.if_contains(name);
    if (!v || !v->is_number() || v->to_number<double>() < 0) {
        error = path + name + ": must be a number >= 0";
        return false;
    }
    out = v->to_number<double>();
    return true;
}

bool classPrices(const json::object& classes, const char* name, ClassPrices& out, std::string& error)
{
    const auto* v = classes.if_contains(name);
    const std::string path = std::string("tableClasses.") + name + ".";
    if (!v || !v->is_object()) {
        error = std::string("tableClasses.") + name + ": missing";
        return false;
    }
    const auto& o = v->get_object();
    return number(o, "provisionedReadUnitHour", out.provisionedReadUnitHour, error, path)
        && number(o, "provisionedWriteUnitHour", out.provisionedWriteUnitHour, error, path)
        && number(o, "onDemandReadPerMillion", out.onDemandReadPerMillion, error, path)
        && number(o, "onDemandWritePerMillion", out.onDemandWritePerMillion, error, path)
        && number(o, "storageGBMonth", out.storageGBMonth, error, path);
}

} // namespace

Result<PricingTable> parsePricing(std::string_view text)
{
    json::value v;
    std::string error;
    if (!parseJsonText(text, v, error))
        return Status::validation("pricing file is not JSON: " + error);
    if (!v.is_object())
        return Status::validation("pricing file: must be a JSON object");
    const auto& o = v.get_object();
    const auto* format = o.if_contains("format");
    if (!format || !format->is_string() || format->get_string() != "capsim-pricing/1")
        return Status::validation("format: must be \"capsim-pricing/1\"");
    PricingTable p;
    for (auto [name, target] : { std::pair { "region", &p.region }, std::pair { "effectiveDate", &p.effectiveDate },
             std::pair { "currency", &p.currency } }) {
        const auto* s = o.if_contains(name);
        if (!s || !s->is_string())
            return Status::validation(std::string(name) + ": must be a string");
        *target = std::string(s->get_string());
    }
    if (o.contains("hoursPerMonth") && !number(o, "hoursPerMonth", p.hoursPerMonth, error, ""))
        return Status::validation(error);
    if (o.contains("bytesPerGB") && !number(o, "bytesPerGB", p.bytesPerGB, error, ""))
        return Status::validation(error);
    const auto* classes = o.if_contains("tableClasses");
    if (!classes || !classes->is_object())
        return Status::validation("tableClasses: missing");
    if (!classPrices(classes->get_object(), "STANDARD", p.standard, error)
        || !classPrices(classes->get_object(), "STANDARD_INFREQUENT_ACCESS", p.infrequentAccess, error))
        return Status::validation(error);
    if (const auto* free = o.if_contains("freeTier"); free && free->is_object()) {
        const auto& f = free->get_object();
        if (!number(f, "storageGB", p.freeStorageGB, error, "freeTier.")
            || !number(f, "provisionedReadUnits", p.freeReadUnits, error, "freeTier.")
            || !number(f, "provisionedWriteUnits", p.freeWriteUnits, error, "freeTier."))
            return Status::validation(error);
    }
    if (const auto* free = o.if_contains("freeTier"); free && free->is_object()
        && free->get_object().contains("streamReadRequests")
        && !number(free->get_object(), "streamReadRequests", p.freeStreamReadRequests, error, "freeTier."))
        return Status::validation(error);
    // The data features' prices; a file without them prices those features at 0.
    if (const auto* other = o.if_contains("other")) {
        if (!other->is_object())
            return Status::validation("other: must be an object");
        const auto& d = other->get_object();
        if (!number(d, "pitrGBMonth", p.data.pitrGBMonth, error, "other.")
            || !number(d, "backupGBMonth", p.data.backupGBMonth, error, "other.")
            || !number(d, "restorePerGB", p.data.restorePerGB, error, "other.")
            || !number(d, "exportPerGB", p.data.exportPerGB, error, "other.")
            || !number(d, "importPerGB", p.data.importPerGB, error, "other.")
            || !number(d, "streamReadPer100k", p.data.streamReadPer100k, error, "other."))
            return Status::validation(error);
        // Optional: DAX node-hour prices by node type (files without them price no DAX cluster).
        if (const auto* dax = d.if_contains("daxNodeHour")) {
            if (!dax->is_object())
                return Status::validation("other.daxNodeHour: must be an object of node type -> price per node-hour");
            for (const auto& [type, price] : dax->get_object()) {
                const std::string name(type.data(), type.size());
                if (!price.is_number() || price.to_number<double>() < 0)
                    return Status::validation("other.daxNodeHour." + name + ": must be a number >= 0");
                p.daxNodeHour[name] = price.to_number<double>();
            }
        }
        // Optional (files written before Kinesis consumers were priced).
        if (d.contains("kinesisCdcPerMillion") && !number(d, "kinesisCdcPerMillion", p.data.kinesisCdcPerMillion, error, "other."))
            return Status::validation(error);
        // Optional (files written before global tables were priced keep the built-in 0.02).
        if (d.contains("crossRegionPerGB") && !number(d, "crossRegionPerGB", p.data.crossRegionPerGB, error, "other."))
            return Status::validation(error);
    }
    if (p.hoursPerMonth <= 0 || p.bytesPerGB <= 0)
        return Status::validation("hoursPerMonth and bytesPerGB: must be > 0");
    return p;
}

namespace {

double gigabytes(const PricingTable& p, double bytes)
{
    return bytes / p.bytesPerGB;
}

double months(const PricingTable& p, double seconds)
{
    return seconds / (p.hoursPerMonth * 3600.0);
}

// An incremental export bills at least 10 MiB (reference A9).
constexpr double kMinIncrementalExportBytes = 10.0 * 1024 * 1024;

} // namespace

double pitrCost(const PricingTable& p, double billableBytes, double seconds)
{
    return gigabytes(p, billableBytes) * p.data.pitrGBMonth * months(p, seconds);
}

double backupStorageCost(const PricingTable& p, double backupBytes, double seconds)
{
    return gigabytes(p, backupBytes) * p.data.backupGBMonth * months(p, seconds);
}

double restoreCost(const PricingTable& p, double restoredBytes)
{
    return gigabytes(p, restoredBytes) * p.data.restorePerGB;
}

double exportCost(const PricingTable& p, double bytes, bool incremental)
{
    return gigabytes(p, incremental ? std::max(bytes, kMinIncrementalExportBytes) : bytes) * p.data.exportPerGB;
}

double importCost(const PricingTable& p, double processedBytes)
{
    return gigabytes(p, processedBytes) * p.data.importPerGB;
}

double streamReadCost(const PricingTable& p, double readRequestUnits)
{
    return readRequestUnits / 100000.0 * p.data.streamReadPer100k;
}

double changeDataCaptureCost(const PricingTable& p, double units)
{
    return units / 1e6 * p.data.kinesisCdcPerMillion;
}

std::int64_t changeDataCaptureUnits(std::int64_t oldImageBytes, std::int64_t newImageBytes)
{
    const std::int64_t bytes = std::max(oldImageBytes, newImageBytes);
    return std::max<std::int64_t>(1, (bytes + 1023) / 1024);
}

Result<double> daxNodeHourPrice(const PricingTable& p, const std::string& nodeType)
{
    if (const auto it = p.daxNodeHour.find(nodeType); it != p.daxNodeHour.end())
        return it->second;
    // Larger r5 sizes: 0.509 x size / xlarge (reference A10, DERIVED).
    constexpr std::string_view kR5 = "dax.r5.";
    constexpr std::string_view kXlarge = "xlarge";
    const auto xlarge = p.daxNodeHour.find("dax.r5.xlarge");
    if (nodeType.starts_with(kR5) && nodeType.ends_with(kXlarge) && xlarge != p.daxNodeHour.end()) {
        const std::string multiple = nodeType.substr(kR5.size(), nodeType.size() - kR5.size() - kXlarge.size());
        if (!multiple.empty() && std::all_of(multiple.begin(), multiple.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return xlarge->second * std::stod(multiple);
    }
    // t2 priced like t3 (C 6.4: dax.t2.small $0.04 = dax.t3.small, dax.t2.medium $0.08 = dax.t3.medium).
    constexpr std::string_view kT2 = "dax.t2.";
    if (nodeType.starts_with(kT2))
        if (const auto t3 = p.daxNodeHour.find("dax.t3." + nodeType.substr(kT2.size())); t3 != p.daxNodeHour.end())
            return t3->second;
    return Status::notFound("no DAX price for node type " + nodeType + " in pricing " + p.label()
        + " (other.daxNodeHour)");
}

double daxNodeHours(double simulatedSeconds, std::int64_t nodes)
{
    return std::ceil(simulatedSeconds / 3600.0 - 1e-9) * static_cast<double>(nodes);
}

double replicatedWriteCost(const PricingTable& p, TableClass tableClass, double writeUnits)
{
    return writeUnits * p.prices(tableClass).onDemandWritePerMillion / 1e6;
}

double daxOffloadedReadCost(const PricingTable& p, BillingMode mode, TableClass tableClass, double readUnits)
{
    const ClassPrices& c = p.prices(tableClass);
    return mode == BillingMode::PayPerRequest ? readUnits * c.onDemandReadPerMillion / 1e6
                                         : readUnits / 3600.0 * c.provisionedReadUnitHour;
}

double crossRegionTransferCost(const PricingTable& p, double itemBytes)
{
    return gigabytes(p, itemBytes) * p.data.crossRegionPerGB;
}

std::int64_t globalTableBillableBytes(std::int64_t itemBytes, std::int64_t itemCount)
{
    return itemBytes + kGlobalTableItemOverheadBytes * itemCount;
}

Result<PricingTable> builtInPricing(const std::string& region)
{
    const std::string* text = embeddedResource("pricing/" + region + ".json");
    if (!text)
        return Status::notFound("no built-in pricing for region " + region + "; pass a pricing file");
    return parsePricing(*text);
}

} // namespace capsim

#include "simulator/break_even.h"

#include <algorithm>
#include <array>

namespace capsim {

namespace {

constexpr double kSecondsPerMinute = 60.0;
constexpr double kUnitsPerMillion = 1e6;

// The run's demand in the terms of the header: per dimension (0 read, 1 write) the summed
// per-minute consumed rates, their peak, and the fixed capacity C_d.
struct Demand {
    double minutes = 0;
    std::array<double, 2> sum {}; // sum_m D[m,d]
    std::array<double, 2> peak {};
    std::array<double, 2> capacity {}; // C_d
    double hours() const { return minutes / 60.0; }
    double mean(std::size_t d) const { return minutes > 0 ? sum[d] / minutes : 0.0; }
};

Demand demandOf(const TableResult& table)
{
    Demand demand;
    demand.minutes = static_cast<double>(table.minutes.size());
    for (const auto& row : table.minutes) {
        demand.sum[0] += row.consumedRead;
        demand.sum[1] += row.consumedWrite;
        demand.peak[0] = std::max(demand.peak[0], row.consumedRead);
        demand.peak[1] = std::max(demand.peak[1], row.consumedWrite);
    }
    if (demand.minutes <= 0)
        return demand;
    if (table.billingMode == BillingMode::Provisioned) {
        demand.capacity[0] = table.provisionedUnitHoursRead / demand.hours();
        demand.capacity[1] = table.provisionedUnitHoursWrite / demand.hours();
    } else {
        demand.capacity = demand.peak;
    }
    return demand;
}

std::array<double, 2> unitHourPrices(const ClassPrices& prices)
{
    return { prices.provisionedReadUnitHour, prices.provisionedWriteUnitHour };
}

std::array<double, 2> requestUnitPrices(const ClassPrices& prices)
{
    return { prices.onDemandReadPerMillion / kUnitsPerMillion, prices.onDemandWritePerMillion / kUnitsPerMillion };
}

// u_run, weighted by the provisioned prices; 0 when there is nothing to weigh.
double runUtilisation(const Demand& demand, const std::array<double, 2>& unitHour)
{
    double used = 0, paid = 0;
    for (std::size_t d = 0; d < 2; ++d) {
        used += demand.mean(d) * unitHour[d];
        paid += demand.capacity[d] * unitHour[d];
    }
    return paid > 0 ? used / paid : 0.0;
}

CostCurvePoint pointAt(const TableResult& table, const Demand& demand, const ClassPrices& prices, double utilisation,
    double scale, const CapacityCurveOptions& options)
{
    const auto unitHour = unitHourPrices(prices);
    const auto requestUnit = requestUnitPrices(prices);
    CostCurvePoint point;
    point.utilisation = utilisation;
    for (std::size_t d = 0; d < 2; ++d) {
        point.provisionedUsd += demand.capacity[d] * demand.hours() * unitHour[d];
        point.onDemandUsd += scale * demand.sum[d] * kSecondsPerMinute * requestUnit[d];
        if (demand.capacity[d] <= 0)
            continue;
        double unitMinutes = 0;
        for (const auto& row : table.minutes) {
            const double rate = d == 0 ? row.consumedRead : row.consumedWrite;
            unitMinutes += std::max(options.floorUnits, scale * rate / options.targetUtilisation);
        }
        point.autoScaledUsd += unitMinutes / 60.0 * unitHour[d];
    }
    return point;
}

// Throughput cost of the run in its final billing mode, priced in one class.
double throughputUsd(const TableResult& table, const ClassPrices& prices)
{
    if (table.billingMode == BillingMode::Provisioned)
        return table.provisionedUnitHoursRead * prices.provisionedReadUnitHour
            + table.provisionedUnitHoursWrite * prices.provisionedWriteUnitHour;
    return (table.consumedRead * prices.onDemandReadPerMillion + table.consumedWrite * prices.onDemandWritePerMillion)
        / kUnitsPerMillion;
}

// Months the run covers, for GB-month storage prices.
double runMonths(const TableResult& table, const PricingTable& pricing)
{
    return static_cast<double>(table.minutes.size()) / 60.0 / pricing.hoursPerMonth;
}

ClassCurvePoint classPointForGB(const TableResult& table, const PricingTable& pricing, double storedGB)
{
    const double months = runMonths(table, pricing);
    const double standardThroughput = throughputUsd(table, pricing.standard);
    const double standardStorage = storedGB * pricing.standard.storageGBMonth * months;
    ClassCurvePoint point;
    point.storedGB = storedGB;
    point.standardUsd = standardThroughput + standardStorage;
    point.infrequentAccessUsd
        = throughputUsd(table, pricing.infrequentAccess) + storedGB * pricing.infrequentAccess.storageGBMonth * months;
    point.storageShare = point.standardUsd > 0 ? standardStorage / point.standardUsd : 0.0;
    return point;
}

} // namespace

std::vector<CostCurvePoint> capacityModeCurves(
    const TableResult& table, const PricingTable& pricing, TableClass tableClass, const CapacityCurveOptions& options)
{
    const Demand demand = demandOf(table);
    const ClassPrices& prices = pricing.prices(tableClass);
    const double current = runUtilisation(demand, unitHourPrices(prices));
    std::vector<CostCurvePoint> curve;
    if (current <= 0 || options.steps <= 0)
        return curve;
    for (int i = 1; i <= options.steps; ++i) {
        const double u = static_cast<double>(i) / static_cast<double>(options.steps);
        curve.push_back(pointAt(table, demand, prices, u, u / current, options));
    }
    return curve;
}

CostCurvePoint currentCapacityPoint(
    const TableResult& table, const PricingTable& pricing, TableClass tableClass, const CapacityCurveOptions& options)
{
    const Demand demand = demandOf(table);
    const ClassPrices& prices = pricing.prices(tableClass);
    return pointAt(table, demand, prices, runUtilisation(demand, unitHourPrices(prices)), 1.0, options);
}

double peakCoveringUtilisation(const TableResult& table, const PricingTable& pricing)
{
    const Demand demand = demandOf(table);
    const double current = runUtilisation(demand, unitHourPrices(pricing.prices(table.tableClass)));
    double headroom = 0;
    bool any = false;
    for (std::size_t d = 0; d < 2; ++d) {
        if (demand.peak[d] <= 0)
            continue;
        const double ratio = demand.capacity[d] / demand.peak[d];
        headroom = any ? std::min(headroom, ratio) : ratio;
        any = true;
    }
    return any ? std::min(1.0, current * headroom) : 0.0;
}

std::vector<ClassCurvePoint> tableClassCurves(const TableResult& table, const PricingTable& pricing, int steps)
{
    std::vector<ClassCurvePoint> curve;
    const double standardThroughput = throughputUsd(table, pricing.standard);
    const double gbCost = pricing.standard.storageGBMonth * runMonths(table, pricing); // USD per GB over the run
    if (standardThroughput <= 0 || gbCost <= 0 || steps <= 0)
        return curve;
    for (int i = 0; i <= steps; ++i) {
        const double x = 0.8 * static_cast<double>(i) / static_cast<double>(steps);
        // x = S / (S + T)  <=>  S = T x / (1 - x).
        const double storedGB = standardThroughput * x / (1.0 - x) / gbCost;
        curve.push_back(classPointForGB(table, pricing, storedGB));
    }
    return curve;
}

ClassCurvePoint currentClassPoint(const TableResult& table, const PricingTable& pricing)
{
    return classPointForGB(table, pricing, static_cast<double>(table.storageBytes) / pricing.bytesPerGB);
}

double classBreakEvenShare(const TableResult& table, const PricingTable& pricing)
{
    const double standardThroughput = throughputUsd(table, pricing.standard);
    const double extra = throughputUsd(table, pricing.infrequentAccess) - standardThroughput;
    const double saving = pricing.standard.storageGBMonth - pricing.infrequentAccess.storageGBMonth;
    if (saving <= 0)
        return 1.0;
    if (extra <= 0)
        return 0.0;
    const double storageAtBreakEven = extra * pricing.standard.storageGBMonth / saving;
    return storageAtBreakEven / (storageAtBreakEven + standardThroughput);
}

} // namespace capsim

#pragma once
// Break-even curves for the studio's Compare view: what a run's demand costs in each capacity mode
// and each table class, computed from its per-minute consumed series and a PricingTable (not by
// re-running the simulation). Pure functions; callable from any thread. Free tier, lag and
// throttling are left out: the curves compare prices, the run itself shows their effects.
//
// Capacity-mode curves (reference A5, C 6.1). Notation, per dimension d (read, write):
//   D[m,d]  consumed units/s in minute m (MinuteRow.consumedRead/Write), M minutes, H = M / 60 hours;
//   mean_d  = sum_m D[m,d] / M;
//   C_d     = the table's fixed capacity: the run's mean provisioned capacity in force,
//             provisionedUnitHours_d / H, for a provisioned run; the peak minute max_m D[m,d] for an
//             on-demand run (the smallest fixed capacity that would have served it);
//   p_h,d   = provisioned price per unit-hour, p_od,d = on-demand price per request unit.
// The run's utilisation is price-weighted over both dimensions:
//   u_run = sum_d mean_d p_h,d / sum_d C_d p_h,d.
// The sweep keeps C_d and the demand's shape and scales the demand by k = u / u_run, so the
// average utilisation of the fixed capacity is u (5 %, 10 %, ... 100 %):
//   provisioned(u) = sum_d C_d H p_h,d                               (flat: paid whether used or not)
//   onDemand(u)    = sum_d k sum_m D[m,d] 60 p_od,d                  (linear in u)
//   autoScaled(u)  = sum_d sum_m max(floor, k D[m,d] / target) (1/60) p_h,d
//                    (capacity following each minute's demand at the target utilisation, default 0.7,
//                    never below `floor` units, default 1, for a dimension with C_d > 0)
// At u = u_run (k = 1) the curves cost the run's own demand; for a provisioned run provisioned(u_run)
// equals its capacity cost. On-demand and provisioned cross where u = p_h / (3600 p_od): 0.00065 /
// (3600 x 0.625e-6) = 0.289 for Standard writes, the same ratio for reads (reference C 6.1).
//
// Table-class curves (reference A5, C 6.5). With the run's throughput fixed (its final billing
// mode: provisioned unit-hours x p_h, or consumed units x p_od) and priced in each class,
//   T_std, T_ia = throughput cost; S(GB) = GB x storageGBMonth x H / hoursPerMonth;
// the stored GB is swept so that the storage share of the Standard bill, x = S_std / (S_std + T_std),
// runs over 0 .. 0.8 (beyond, the stored GB grow as x / (1 - x) and swamp the chart). Standard-IA is
// cheaper above the break-even share
//   x* = (T_ia - T_std) s_std / ((T_ia - T_std) s_std + T_std (s_std - s_ia)),
// s = storage price per GB-month; with A5's prices (IA throughput ~1.25 x, storage 0.10 vs 0.25)
// x* = 0.25 x 0.25 / (0.25 x 0.25 + 0.15) = 0.294.

#include "simulator/pricing.h"
#include "simulator/results.h"

#include <vector>

namespace capsim {

struct CostCurvePoint {
    double utilisation = 0; // average utilisation of the fixed provisioned capacity, 0..1
    double provisionedUsd = 0;
    double autoScaledUsd = 0;
    double onDemandUsd = 0;
};

struct CapacityCurveOptions {
    double targetUtilisation = 0.7; // auto scaling's target
    double floorUnits = 1; // auto scaling's minimum capacity per dimension
    int steps = 20; // points at 1/steps, 2/steps, ... 1
};

// The sweep above for the run's demand priced in `tableClass`; empty when the run consumed nothing
// or has no capacity to compare with.
std::vector<CostCurvePoint> capacityModeCurves(const TableResult& table, const PricingTable& pricing,
    TableClass tableClass, const CapacityCurveOptions& options = {});
// The run's own point (u = u_run, k = 1); utilisation 0 when the run consumed nothing.
CostCurvePoint currentCapacityPoint(const TableResult& table, const PricingTable& pricing, TableClass tableClass,
    const CapacityCurveOptions& options = {});
// The highest average utilisation at which the fixed capacity still covers the peak minute's demand:
// u_run x min_d (C_d / max_m D[m,d]); above it a fixed capacity would throttle. 0 for no demand.
double peakCoveringUtilisation(const TableResult& table, const PricingTable& pricing);

struct ClassCurvePoint {
    double storageShare = 0; // storage share of the Standard bill, 0..1
    double storedGB = 0;
    double standardUsd = 0;
    double infrequentAccessUsd = 0;
};

// Standard and Standard-IA cost of the run's throughput against the storage share (see above);
// `steps` + 1 points from 0 to 0.8. Empty when the run has no throughput cost.
std::vector<ClassCurvePoint> tableClassCurves(const TableResult& table, const PricingTable& pricing, int steps = 32);
// The run's own point: its stored bytes (TableResult.storageBytes) held for the run's duration.
ClassCurvePoint currentClassPoint(const TableResult& table, const PricingTable& pricing);
// x*, the storage share above which Standard-IA is cheaper; 1 when it never is.
double classBreakEvenShare(const TableResult& table, const PricingTable& pricing);

} // namespace capsim

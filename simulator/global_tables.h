#pragma once
// Global tables in a run (reference A11): the helpers of global_tables.cpp that other parts of
// the simulator share. The run's replica runtimes and the replication subscription are members
// of Simulator::Impl (simulator_impl.h).

#include "simulator/results.h"

namespace capsim {

// Adds every cost line of `from` to `to` (a global table's top-level cost: its own lines plus
// the same lines of every other replica; results.h).
void addCostLines(CostBreakdown& to, const CostBreakdown& from);

} // namespace capsim

#pragma once
// Workload specifications: the traffic part of a scenario (contracts/scenario-format.md,
// "workloads[]"), as plain values after parsing and validation. Times are SimTime.

#include "engine/attribute_value.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

// Simulated time in microseconds from the start of a run (t = 0).
using SimTime = std::int64_t;
inline constexpr SimTime kSimSecond = 1000000;
inline constexpr SimTime kSimMinute = 60 * kSimSecond;
inline constexpr SimTime kSimHour = 60 * kSimMinute;

struct RatePatternSpec {
    enum class Type { Constant, Step, Ramp, Spike, Diurnal, Trace, Sum };
    Type type = Type::Constant;
    double rate = 0; // constant
    double from = 0, to = 0; // step, ramp
    double base = 0, peak = 0; // spike
    double mean = 0, amplitude = 0; // diurnal
    SimTime at = 0; // step, spike
    SimTime start = 0, over = 0; // ramp
    SimTime duration = 0; // spike
    SimTime peakAt = 0, period = 24 * kSimHour; // diurnal
    // trace: values per interval, already loaded from the CSV file and converted to rates
    std::string file;
    std::string column;
    SimTime interval = kSimSecond;
    bool valuesAreRates = false;
    std::vector<double> traceRates;
    std::vector<RatePatternSpec> of; // sum
    bool uniformArrivals = false; // "arrivals":"uniform"; Poisson otherwise
};

struct KeyDistributionSpec {
    enum class Type { Uniform, Zipf, HotKey, Sequential };
    Type type = Type::Uniform;
    std::int64_t cardinality = 100000;
    double exponent = 1.0; // zipf
    std::int64_t hotKeys = 1; // hotkey
    double hotShare = 0.0; // hotkey
    std::int64_t sortKeysPerKey = 1;
};

// A size (bytes) or count distribution.
struct SizeDistributionSpec {
    enum class Type { Fixed, Uniform, LogNormal };
    Type type = Type::Fixed;
    double value = 1000; // fixed
    double min = 0, max = 0; // uniform
    double median = 0, sigma = 0; // lognormal
};

// A duration distribution (workloads[].ttlSeconds, stream consumers' processingTime), in
// microseconds: {"type":"fixed","duration":D}, uniform with min/max, lognormal with median/sigma.
using DurationDistributionSpec = SizeDistributionSpec;

struct ValueDistributionSpec {
    enum class Type { Choice, Uniform };
    Type type = Type::Uniform;
    std::vector<AttributeValue> values; // choice
    std::vector<double> weights; // choice; empty means equal weights
    std::int64_t cardinality = 1; // uniform: values "v0".."v<N-1>"
};

enum class OperationType {
    GetItem,
    PutItem,
    UpdateItem,
    DeleteItem,
    Query,
    Scan,
    BatchGetItem,
    BatchWriteItem,
    TransactGetItems,
    TransactWriteItems
};
const char* operationName(OperationType type);
bool parseOperationName(std::string_view name, OperationType& out);
bool isReadOperation(OperationType type);

struct WorkloadSpec {
    std::string name;
    std::string table; // target table
    std::optional<std::string> index; // "<table>/<index>"
    RatePatternSpec rate;
    std::vector<std::pair<OperationType, double>> operations; // fractions summing to 1
    double strongFraction = 0.0; // consistency mix: share of strongly consistent reads
    KeyDistributionSpec keys;
    SizeDistributionSpec itemSize; // total DynamoDB item size written
    SizeDistributionSpec queryItems { SizeDistributionSpec::Type::Fixed, 10 };
    std::optional<std::int64_t> batchSize; // default 25 writes / 100 reads
    std::map<std::string, ValueDistributionSpec> attributes;
    std::vector<std::string> updateAttributes;
    // Written items carry the table's TTL attribute = write time + a drawn duration.
    std::optional<DurationDistributionSpec> ttlSeconds;
    std::string ttlAttribute; // with ttlSeconds: the table's TTL attribute, resolved by the loader
    // Global tables: the replica this workload's requests go to; empty = the scenario's region.
    std::string region;
    // DAX: false sends the workload straight to DynamoDB when its table has a cluster.
    bool dax = true;
};

} // namespace capsim

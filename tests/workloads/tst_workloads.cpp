// Workload models: the random source, rate patterns, arrival processes, key / size / value
// distributions and the request generator (contracts/scenario-format.md, "workloads[]" and
// "Generated requests").

#include "engine/item_size.h"
#include "engine/json_codec.h"
#include "workloads/arrivals.h"
#include "workloads/distributions.h"
#include "workloads/random.h"
#include "workloads/rate_pattern.h"
#include "workloads/request_generator.h"

#include <QtTest>

#include <boost/json.hpp>

#include <cmath>
#include <numbers>
#include <set>

using namespace capsim;

namespace {

SimTime seconds(double s)
{
    return static_cast<SimTime>(std::llround(s * 1e6));
}

RatePatternSpec constant(double rate)
{
    RatePatternSpec p;
    p.type = RatePatternSpec::Type::Constant;
    p.rate = rate;
    return p;
}

RatePatternSpec step(double from, double to, double atSeconds)
{
    RatePatternSpec p;
    p.type = RatePatternSpec::Type::Step;
    p.from = from;
    p.to = to;
    p.at = seconds(atSeconds);
    return p;
}

RatePatternSpec ramp(double from, double to, double startSeconds, double overSeconds)
{
    RatePatternSpec p;
    p.type = RatePatternSpec::Type::Ramp;
    p.from = from;
    p.to = to;
    p.start = seconds(startSeconds);
    p.over = seconds(overSeconds);
    return p;
}

RatePatternSpec spike(double base, double peak, double atSeconds, double durationSeconds)
{
    RatePatternSpec p;
    p.type = RatePatternSpec::Type::Spike;
    p.base = base;
    p.peak = peak;
    p.at = seconds(atSeconds);
    p.duration = seconds(durationSeconds);
    return p;
}

RatePatternSpec diurnal(double mean, double amplitude, double peakAtSeconds, double periodSeconds)
{
    RatePatternSpec p;
    p.type = RatePatternSpec::Type::Diurnal;
    p.mean = mean;
    p.amplitude = amplitude;
    p.peakAt = seconds(peakAtSeconds);
    p.period = seconds(periodSeconds);
    return p;
}

RatePatternSpec trace(std::vector<double> rates, double intervalSeconds)
{
    RatePatternSpec p;
    p.type = RatePatternSpec::Type::Trace;
    p.traceRates = std::move(rates);
    p.interval = seconds(intervalSeconds);
    return p;
}

RatePatternSpec sum(std::vector<RatePatternSpec> parts)
{
    RatePatternSpec p;
    p.type = RatePatternSpec::Type::Sum;
    p.of = std::move(parts);
    return p;
}

// The patterns the data tables refer to by name.
RatePatternSpec patternNamed(const QString& name)
{
    if (name == "constant5")
        return constant(5);
    if (name == "constant200")
        return constant(200);
    if (name == "zero")
        return constant(0);
    if (name == "step10to20at60")
        return step(10, 20, 60);
    if (name == "step20to10at60")
        return step(20, 10, 60);
    if (name == "step0to100at400")
        return step(0, 100, 400);
    if (name == "stepToTinyLate")
        return step(0, 0.001, 3600.0 * 1000);
    if (name == "ramp10to110")
        return ramp(10, 110, 100, 100);
    if (name == "ramp0to200")
        return ramp(0, 200, 0, 1000);
    if (name == "spike5to50")
        return spike(5, 50, 10, 5);
    if (name == "spikeFromZero")
        return spike(5, 50, 0, 100);
    if (name == "spike10to1000")
        return spike(10, 1000, 100, 50);
    if (name == "diurnal")
        return diurnal(100, 0.5, 6 * 3600, 24 * 3600);
    if (name == "diurnalFull")
        return diurnal(100, 1.0, 30, 100);
    if (name == "trace123")
        return trace({ 1, 2, 3 }, 60);
    if (name == "trace153")
        return trace({ 1, 5, 3 }, 60);
    if (name == "traceGaps")
        return trace({ 0, 0, 300, 0, 100 }, 100);
    if (name == "traceZeros")
        return trace({ 0, 0, 0 }, 100);
    if (name == "sum")
        return sum({ constant(5), spike(0, 50, 10, 5) });
    if (name == "sumRampDiurnal")
        return sum({ ramp(0, 50, 100, 200), diurnal(50, 0.8, 0, 300), step(0, 30, 250) });
    qFatal("unknown pattern %s", qPrintable(name));
}

bool near(double actual, double expected, double relative = 1e-9)
{
    return std::abs(actual - expected) <= relative * std::max(1.0, std::abs(expected));
}

std::string render(const Item& item)
{
    return boost::json::serialize(itemToJson(item));
}

std::string render(const std::optional<Item>& item)
{
    return item ? render(*item) : std::string("none");
}

std::string render(const ExpressionInput& input)
{
    std::string out;
    if (input.names)
        for (const auto& [k, v] : *input.names)
            out += k + "=" + v + ";";
    out += "|" + render(input.values);
    return out;
}

// A canonical rendering of a generated request, for comparing sequences.
std::string render(const GeneratedRequest& r)
{
    std::string out = std::string(operationName(r.type)) + (r.strong ? " strong" : " eventual")
        + " size=" + std::to_string(r.itemSizeBytes) + " pk=" + std::to_string(r.partitionKeyIndex) + " ";
    std::visit(
        [&out](const auto& request) {
            using T = std::decay_t<decltype(request)>;
            if constexpr (std::is_same_v<T, GetItemRequest>)
                out += request.tableName + render(request.key) + std::to_string(request.consistentRead);
            else if constexpr (std::is_same_v<T, PutItemRequest>)
                out += request.tableName + render(request.item);
            else if constexpr (std::is_same_v<T, UpdateItemRequest>)
                out += request.tableName + render(request.key) + request.updateExpression.value_or("")
                    + render(request.expressionAttributes);
            else if constexpr (std::is_same_v<T, DeleteItemRequest>)
                out += request.tableName + render(request.key);
            else if constexpr (std::is_same_v<T, QueryRequest>)
                out += request.tableName + request.keyConditionExpression + render(request.expressionAttributes)
                    + std::to_string(request.limit.value_or(-1)) + std::to_string(request.consistentRead);
            else if constexpr (std::is_same_v<T, ScanRequest>)
                out += request.tableName + std::to_string(request.limit.value_or(-1))
                    + render(request.exclusiveStartKey);
            else if constexpr (std::is_same_v<T, BatchGetItemRequest>) {
                for (const auto& [table, keys] : request.requestItems)
                    for (const auto& key : keys.keys)
                        out += table + render(key);
            } else if constexpr (std::is_same_v<T, BatchWriteItemRequest>) {
                for (const auto& [table, writes] : request.requestItems)
                    for (const auto& write : writes)
                        out += table + render(write.item);
            }
        },
        r.request);
    return out;
}

AttrType attrTypeFrom(const QString& name)
{
    AttrType type = AttrType::S;
    if (!parseAttrTypeName(name.toStdString(), type))
        qFatal("bad type %s", qPrintable(name));
    return type;
}

std::optional<KeyElement> sortKeyFrom(const QString& type)
{
    if (type == "none")
        return std::nullopt;
    return KeyElement { "sk", attrTypeFrom(type) };
}

ValueDistributionSpec choice(std::vector<std::string> values, std::vector<double> weights = {})
{
    ValueDistributionSpec spec;
    spec.type = ValueDistributionSpec::Type::Choice;
    for (auto& v : values)
        spec.values.push_back(AttributeValue::string(std::move(v)));
    spec.weights = std::move(weights);
    return spec;
}

WorkloadSpec workloadOf(OperationType type)
{
    WorkloadSpec spec;
    spec.name = "w";
    spec.table = "Orders";
    spec.operations = { { type, 1.0 } };
    return spec;
}

SizeDistributionSpec fixedSize(double bytes)
{
    SizeDistributionSpec spec;
    spec.type = SizeDistributionSpec::Type::Fixed;
    spec.value = bytes;
    return spec;
}

SizeDistributionSpec uniformSize(double lo, double hi)
{
    SizeDistributionSpec spec;
    spec.type = SizeDistributionSpec::Type::Uniform;
    spec.min = lo;
    spec.max = hi;
    return spec;
}

const KeyElement kPk { "pk", AttrType::S };

// Absolute tolerance for a frequency estimated from n draws: five standard deviations.
double fiveSigma(double p, double n)
{
    return 5.0 * std::sqrt(p * (1.0 - p) / n);
}

} // namespace

class TestWorkloads : public QObject {
    Q_OBJECT

private slots:
    void rngIsReproducible_data();
    void rngIsReproducible();
    void rngDraws();
    void rateAtPattern_data();
    void rateAtPattern();
    void maxRateBound_data();
    void maxRateBound();
    void uniformArrivalsAtKOverR_data();
    void uniformArrivalsAtKOverR();
    void uniformArrivalsFollowTheIntegral();
    void poissonCountsMatchTheIntegral_data();
    void poissonCountsMatchTheIntegral();
    void setPatternSwitchesRate();
    void zipfFrequencies_data();
    void zipfFrequencies();
    void hotKeyFrequencies_data();
    void hotKeyFrequencies();
    void sequentialKeys();
    void sizeAndValueDraws();
    void keyRendering_data();
    void keyRendering();
    void writtenItemsHaveTheDrawnSize_data();
    void writtenItemsHaveTheDrawnSize();
    void itemBelowTheMinimumKeepsTheMinimum();
    void initialItems();
    void updateItemPayloadSizing_data();
    void updateItemPayloadSizing();
    void batchKeysAreDistinct_data();
    void batchKeysAreDistinct();
    void queryShape();
    void indexQueryDrawsAttributeValues();
    void transactionShapes();
    void scanShapeAndContinuation();
    void operationMixAndConsistency();
    void generatorIsDeterministic();
};

void TestWorkloads::rngIsReproducible_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<quint64>("stream");
    QTest::addColumn<quint64>("first");
    QTest::addColumn<quint64>("second");
    QTest::addColumn<quint64>("third");
    QTest::addRow("seed 1 stream 0") << quint64(1) << quint64(0) << quint64(0x7b080b4e61b3a030ULL)
                                     << quint64(0xf00d32911d0c2930ULL) << quint64(0xbec669404aab0594ULL);
    QTest::addRow("seed 1 stream 1") << quint64(1) << quint64(1) << quint64(0x29a3a489faa689eeULL)
                                     << quint64(0x4f1085e3080b1a5bULL) << quint64(0xd6c7cc7345ac11f0ULL);
    QTest::addRow("seed 42 stream 7") << quint64(42) << quint64(7) << quint64(0xca826c975faefda3ULL)
                                      << quint64(0x0ec26f53a468f17cULL) << quint64(0x4293f3061a587ea5ULL);
    QTest::addRow("seed 0 stream 0") << quint64(0) << quint64(0) << quint64(0xff73d0ed7d9fce26ULL)
                                     << quint64(0x2aebd5d6fe969244ULL) << quint64(0x87a5ef76138322f2ULL);
}

void TestWorkloads::rngIsReproducible()
{
    QFETCH(quint64, seed);
    QFETCH(quint64, stream);
    QFETCH(quint64, first);
    QFETCH(quint64, second);
    QFETCH(quint64, third);
    Rng rng(seed, stream);
    QCOMPARE(quint64(rng.nextU64()), first);
    QCOMPARE(quint64(rng.nextU64()), second);
    QCOMPARE(quint64(rng.nextU64()), third);
}

void TestWorkloads::rngDraws()
{
    // Pinned derived draws: uniform01 from the top 53 bits, unbiased integers, polar normals.
    Rng a(1, 0);
    QCOMPARE(a.uniform01(), 0.48059149421324188);
    QCOMPARE(a.uniform01(), 0.93770137827691313);
    Rng b(1, 0);
    QCOMPARE(b.uniformInt(10), std::uint64_t(4));
    QCOMPARE(b.uniformInt(10), std::uint64_t(8));
    QCOMPARE(b.uniformInt(1000000007), std::uint64_t(219029433));
    Rng c(1, 0);
    QVERIFY(near(c.normal(), -0.032199645182844114, 1e-14));
    QVERIFY(near(c.normal(), 0.72616765202884692, 1e-14));
    QVERIFY(near(c.exponential(2.0), 0.68366764022741411, 1e-14));

    // Streams of one seed are independent sequences, and workload/purpose pairs name distinct streams.
    QVERIFY(Rng(5, rngStream(0, RngPurpose::Keys)).nextU64() != Rng(5, rngStream(1, RngPurpose::Keys)).nextU64());
    QVERIFY(rngStream(0, RngPurpose::Sizes) != rngStream(1, RngPurpose::Arrivals));

    // Moments over many draws.
    Rng d(9, 3);
    const int n = 200000;
    double uniformSum = 0, normalSum = 0, normalSquares = 0, expSum = 0;
    for (int i = 0; i < n; ++i) {
        const double u = d.uniform01();
        QVERIFY(u >= 0.0 && u < 1.0);
        uniformSum += u;
        const double z = d.normal();
        normalSum += z;
        normalSquares += z * z;
        expSum += d.exponential(4.0);
        QVERIFY(d.uniformInt(7) < 7);
    }
    QVERIFY(std::abs(uniformSum / n - 0.5) < 0.005);
    QVERIFY(std::abs(normalSum / n) < 0.02);
    QVERIFY(std::abs(normalSquares / n - 1.0) < 0.02);
    QVERIFY(std::abs(expSum / n - 0.25) < 0.005);
}

void TestWorkloads::rateAtPattern_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<double>("atSeconds");
    QTest::addColumn<double>("expected");
    QTest::addRow("constant at 0") << "constant5" << 0.0 << 5.0;
    QTest::addRow("constant later") << "constant5" << 1000.0 << 5.0;
    QTest::addRow("step before") << "step10to20at60" << 59.999999 << 10.0;
    QTest::addRow("step at") << "step10to20at60" << 60.0 << 20.0;
    QTest::addRow("ramp before start") << "ramp10to110" << 50.0 << 10.0;
    QTest::addRow("ramp at start") << "ramp10to110" << 100.0 << 10.0;
    QTest::addRow("ramp midway") << "ramp10to110" << 150.0 << 60.0;
    QTest::addRow("ramp at end") << "ramp10to110" << 200.0 << 110.0;
    QTest::addRow("ramp after") << "ramp10to110" << 300.0 << 110.0;
    QTest::addRow("spike before") << "spike5to50" << 9.999999 << 5.0;
    QTest::addRow("spike start") << "spike5to50" << 10.0 << 50.0;
    QTest::addRow("spike last microsecond") << "spike5to50" << 14.999999 << 50.0;
    QTest::addRow("spike over") << "spike5to50" << 15.0 << 5.0;
    QTest::addRow("diurnal peak") << "diurnal" << 6.0 * 3600 << 150.0;
    QTest::addRow("diurnal trough") << "diurnal" << 18.0 * 3600 << 50.0;
    QTest::addRow("diurnal quarter") << "diurnal" << 0.0 << 100.0;
    QTest::addRow("diurnal next peak") << "diurnal" << 30.0 * 3600 << 150.0;
    QTest::addRow("trace first") << "trace123" << 0.0 << 1.0;
    QTest::addRow("trace end of first") << "trace123" << 59.999999 << 1.0;
    QTest::addRow("trace second") << "trace123" << 60.0 << 2.0;
    QTest::addRow("trace last") << "trace123" << 179.999999 << 3.0;
    QTest::addRow("trace past the end") << "trace123" << 180.0 << 0.0;
    QTest::addRow("sum outside spike") << "sum" << 5.0 << 5.0;
    QTest::addRow("sum in spike") << "sum" << 12.0 << 55.0;
}

void TestWorkloads::rateAtPattern()
{
    QFETCH(QString, pattern);
    QFETCH(double, atSeconds);
    QFETCH(double, expected);
    const double actual = rateAt(patternNamed(pattern), seconds(atSeconds));
    QVERIFY2(near(actual, expected), qPrintable(QString("rate %1, expected %2").arg(actual).arg(expected)));
}

void TestWorkloads::maxRateBound_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<double>("horizonSeconds");
    QTest::addColumn<double>("expected");
    QTest::addRow("constant") << "constant5" << 100.0 << 5.0;
    QTest::addRow("step not reached") << "step10to20at60" << 30.0 << 10.0;
    QTest::addRow("step reached at the horizon") << "step10to20at60" << 60.0 << 20.0;
    QTest::addRow("step down") << "step20to10at60" << 100.0 << 20.0;
    QTest::addRow("ramp partway") << "ramp10to110" << 150.0 << 60.0;
    QTest::addRow("ramp whole") << "ramp10to110" << 1000.0 << 110.0;
    QTest::addRow("spike not reached") << "spike5to50" << 5.0 << 5.0;
    QTest::addRow("spike reached") << "spike5to50" << 20.0 << 50.0;
    QTest::addRow("spike covering the run") << "spikeFromZero" << 50.0 << 50.0;
    QTest::addRow("diurnal") << "diurnal" << 1000.0 << 150.0;
    QTest::addRow("trace first interval") << "trace153" << 30.0 << 1.0;
    QTest::addRow("trace whole") << "trace153" << 200.0 << 5.0;
    QTest::addRow("sum") << "sum" << 100.0 << 55.0;
    QTest::addRow("zero") << "zero" << 100.0 << 0.0;
}

void TestWorkloads::maxRateBound()
{
    QFETCH(QString, pattern);
    QFETCH(double, horizonSeconds);
    QFETCH(double, expected);
    const double actual = maxRate(patternNamed(pattern), seconds(horizonSeconds));
    QVERIFY2(near(actual, expected), qPrintable(QString("max %1, expected %2").arg(actual).arg(expected)));
}

void TestWorkloads::uniformArrivalsAtKOverR_data()
{
    QTest::addColumn<double>("rate");
    QTest::addRow("1/s") << 1.0;
    QTest::addRow("3/s") << 3.0;
    QTest::addRow("7/s") << 7.0;
    QTest::addRow("0.3/s") << 0.3;
    QTest::addRow("333.3/s") << 333.3;
    QTest::addRow("1000/s") << 1000.0;
    QTest::addRow("2500/s") << 2500.0;
    QTest::addRow("3000000/s (several per microsecond)") << 3000000.0;
}

void TestWorkloads::uniformArrivalsAtKOverR()
{
    QFETCH(double, rate);
    RatePatternSpec pattern = constant(rate);
    pattern.uniformArrivals = true;
    const SimTime horizon = seconds(20000.0 / rate);
    ArrivalProcess arrivals(pattern, Rng(1, 0), 0, horizon);
    std::int64_t k = 0;
    for (;; ++k) {
        const SimTime t = arrivals.next();
        if (t == ArrivalProcess::kNever)
            break;
        const auto expected = static_cast<SimTime>(std::llround(static_cast<double>(k) * 1e6 / rate));
        QCOMPARE(t, expected);
    }
    // Arrivals in [0, horizon): k / r < horizon.
    QCOMPARE(k, std::int64_t(20000));
    QCOMPARE(arrivals.next(), ArrivalProcess::kNever);
}

void TestWorkloads::uniformArrivalsFollowTheIntegral()
{
    // Nothing until the step, then one every 0.5 s starting at the step.
    RatePatternSpec stepped = step(0, 2, 10);
    stepped.uniformArrivals = true;
    ArrivalProcess a(stepped, Rng(1, 0), 0, seconds(12));
    QCOMPARE(a.next(), seconds(10));
    QCOMPARE(a.next(), seconds(10.5));
    QCOMPARE(a.next(), seconds(11));
    QCOMPARE(a.next(), seconds(11.5));
    QCOMPARE(a.next(), ArrivalProcess::kNever);

    // A ramp 0 -> 2/s over 10 s: the integral t^2 / 10 reaches k at t = sqrt(10 k).
    RatePatternSpec ramped = ramp(0, 2, 0, 10);
    ramped.uniformArrivals = true;
    ArrivalProcess b(ramped, Rng(1, 0), 0, seconds(11));
    QCOMPARE(b.next(), SimTime(0));
    for (int k = 1; k <= 10; ++k)
        QCOMPARE(b.next(), seconds(std::sqrt(10.0 * k)));
    QCOMPARE(b.next(), seconds(10.5)); // past the ramp, 2/s
    QCOMPARE(b.next(), ArrivalProcess::kNever); // 11 s is the horizon, excluded
}

void TestWorkloads::poissonCountsMatchTheIntegral_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<double>("horizonSeconds");
    QTest::addRow("constant") << "constant200" << 500.0;
    QTest::addRow("step from zero") << "step0to100at400" << 1000.0;
    QTest::addRow("ramp") << "ramp0to200" << 1000.0;
    QTest::addRow("spike") << "spike10to1000" << 500.0;
    QTest::addRow("diurnal touching zero") << "diurnalFull" << 1000.0;
    QTest::addRow("trace with gaps") << "traceGaps" << 600.0;
    QTest::addRow("sum of ramp, diurnal, step") << "sumRampDiurnal" << 1000.0;
    QTest::addRow("late trickle after a long zero stretch") << "stepToTinyLate" << 3600.0 * 1000 + 100000;
    QTest::addRow("zero") << "zero" << 1000.0;
    QTest::addRow("trace of zeros") << "traceZeros" << 1000.0;
}

void TestWorkloads::poissonCountsMatchTheIntegral()
{
    QFETCH(QString, pattern);
    QFETCH(double, horizonSeconds);
    const RatePatternSpec spec = patternNamed(pattern);
    const SimTime horizon = seconds(horizonSeconds);
    const double expected = rateIntegral(spec, 0, static_cast<double>(horizon));
    ArrivalProcess arrivals(spec, Rng(3, rngStream(0, RngPurpose::Arrivals)), 0, horizon);
    std::int64_t count = 0;
    SimTime previous = 0;
    for (SimTime t = arrivals.next(); t != ArrivalProcess::kNever; t = arrivals.next()) {
        QVERIFY(t >= previous);
        QVERIFY(t < horizon);
        QVERIFY2(rateAt(spec, t) > 0.0, qPrintable(QString("arrival at %1 us where the rate is 0").arg(t)));
        previous = t;
        ++count;
    }
    const double tolerance = 5.0 * std::sqrt(expected) + 1.0;
    QVERIFY2(std::abs(static_cast<double>(count) - expected) <= tolerance,
        qPrintable(QString("%1 arrivals, integral %2").arg(count).arg(expected)));
    QCOMPARE(arrivals.next(), ArrivalProcess::kNever);
}

void TestWorkloads::setPatternSwitchesRate()
{
    // Uniform 1/s: arrivals at 0, 1, 2, and 3 (taken, then voided by a switch to 2/s at 2.5 s).
    // Half a gap had elapsed at 2.5 s, so the next arrival comes 0.25 s later at the new rate.
    RatePatternSpec slow = constant(1);
    slow.uniformArrivals = true;
    RatePatternSpec fast = constant(2);
    fast.uniformArrivals = true;
    ArrivalProcess a(slow, Rng(1, 0), 0, seconds(100));
    QCOMPARE(a.next(), seconds(0));
    QCOMPARE(a.next(), seconds(1));
    QCOMPARE(a.next(), seconds(2));
    QCOMPARE(a.next(), seconds(3));
    a.setPattern(fast, seconds(2.5));
    QCOMPARE(a.next(), seconds(2.75));
    QCOMPARE(a.next(), seconds(3.25));
    QCOMPARE(a.next(), seconds(3.75));

    // Poisson switched to zero stops; switched back on resumes after the switch.
    ArrivalProcess p(constant(100), Rng(2, 0), 0, seconds(100));
    SimTime t = p.next();
    while (t < seconds(10))
        t = p.next();
    p.setPattern(constant(0), seconds(10));
    QCOMPARE(p.next(), ArrivalProcess::kNever);
    p.setPattern(constant(100), seconds(50));
    const SimTime resumed = p.next();
    QVERIFY(resumed >= seconds(50) && resumed < seconds(51));
    QCOMPARE(p.pattern().rate, 100.0);
}

void TestWorkloads::zipfFrequencies_data()
{
    QTest::addColumn<qint64>("cardinality");
    QTest::addColumn<double>("exponent");
    QTest::addRow("100 keys, s = 1") << qint64(100) << 1.0;
    QTest::addRow("1000 keys, s = 1.5") << qint64(1000) << 1.5;
    QTest::addRow("1000 keys, s = 0.8") << qint64(1000) << 0.8;
    QTest::addRow("1e9 keys, s = 2") << qint64(1000000000) << 2.0;
}

void TestWorkloads::zipfFrequencies()
{
    QFETCH(qint64, cardinality);
    QFETCH(double, exponent);
    double normalizer = 0.0;
    if (cardinality <= 100000) {
        for (qint64 k = 1; k <= cardinality; ++k)
            normalizer += std::pow(static_cast<double>(k), -exponent);
    } else {
        QCOMPARE(exponent, 2.0);
        normalizer = std::numbers::pi * std::numbers::pi / 6.0 - 1.0 / static_cast<double>(cardinality);
    }
    const ZipfSampler zipf(cardinality, exponent);
    Rng rng(11, 0);
    const int n = 200000;
    std::vector<int> counts(5, 0);
    std::int64_t largest = 0;
    for (int i = 0; i < n; ++i) {
        const std::int64_t key = zipf.draw(rng);
        QVERIFY(key >= 0 && key < cardinality);
        largest = std::max(largest, key);
        if (key < 5)
            ++counts[static_cast<std::size_t>(key)];
    }
    for (int rank = 0; rank < 5; ++rank) {
        const double p = std::pow(rank + 1.0, -exponent) / normalizer;
        const double observed = counts[static_cast<std::size_t>(rank)] / double(n);
        QVERIFY2(std::abs(observed - p) <= fiveSigma(p, n),
            qPrintable(QString("rank %1: %2 observed, %3 expected").arg(rank).arg(observed).arg(p)));
    }
    QVERIFY(largest > 5); // the tail is reached
}

void TestWorkloads::hotKeyFrequencies_data()
{
    QTest::addColumn<qint64>("cardinality");
    QTest::addColumn<qint64>("hotKeys");
    QTest::addColumn<double>("hotShare");
    QTest::addRow("10 of 1000 keys take 80%%") << qint64(1000) << qint64(10) << 0.8;
    QTest::addRow("one key takes half") << qint64(1000) << qint64(1) << 0.5;
    QTest::addRow("no hot share") << qint64(100) << qint64(5) << 0.0;
}

void TestWorkloads::hotKeyFrequencies()
{
    QFETCH(qint64, cardinality);
    QFETCH(qint64, hotKeys);
    QFETCH(double, hotShare);
    KeyDistributionSpec spec;
    spec.type = KeyDistributionSpec::Type::HotKey;
    spec.cardinality = cardinality;
    spec.hotKeys = hotKeys;
    spec.hotShare = hotShare;
    KeySampler keys(spec);
    Rng rng(4, 0);
    const int n = 100000;
    int hot = 0;
    std::set<std::int64_t> distinctHot;
    for (int i = 0; i < n; ++i) {
        const std::int64_t key = keys.drawPartitionKey(rng);
        QVERIFY(key >= 0 && key < cardinality);
        if (key < hotKeys) {
            ++hot;
            distinctHot.insert(key);
        }
    }
    const double observed = hot / double(n);
    QVERIFY2(std::abs(observed - hotShare) <= fiveSigma(hotShare, n) + 1e-12,
        qPrintable(QString("hot share %1, expected %2").arg(observed).arg(hotShare)));
    if (hotShare > 0)
        QCOMPARE(qint64(distinctHot.size()), hotKeys);
}

void TestWorkloads::sequentialKeys()
{
    KeyDistributionSpec spec;
    spec.type = KeyDistributionSpec::Type::Sequential;
    spec.cardinality = 3;
    spec.sortKeysPerKey = 4;
    KeySampler keys(spec);
    Rng rng(1, 0);
    const std::vector<std::int64_t> expected { 0, 1, 2, 0, 1, 2, 0 };
    for (std::int64_t e : expected)
        QCOMPARE(keys.drawPartitionKey(rng), e);
    for (int i = 0; i < 1000; ++i) {
        const std::int64_t j = keys.drawSortKey(rng);
        QVERIFY(j >= 0 && j < 4);
    }
}

void TestWorkloads::sizeAndValueDraws()
{
    Rng rng(6, 0);
    // Uniform sizes cover every integer of [min, max] evenly.
    std::map<std::int64_t, int> counts;
    for (int i = 0; i < 40000; ++i)
        ++counts[drawSizeBytes(uniformSize(100, 103), rng)];
    QCOMPARE(counts.size(), std::size_t(4));
    for (const auto& [size, count] : counts) {
        QVERIFY(size >= 100 && size <= 103);
        QVERIFY(std::abs(count / 40000.0 - 0.25) <= fiveSigma(0.25, 40000));
    }
    // Lognormal sizes: the median of the draws is the median parameter.
    SizeDistributionSpec logNormal;
    logNormal.type = SizeDistributionSpec::Type::LogNormal;
    logNormal.median = 1000;
    logNormal.sigma = 0.5;
    std::vector<std::int64_t> sizes;
    for (int i = 0; i < 20001; ++i)
        sizes.push_back(drawSizeBytes(logNormal, rng));
    std::nth_element(sizes.begin(), sizes.begin() + 10000, sizes.end());
    QVERIFY(std::abs(static_cast<double>(sizes[10000]) - 1000.0) < 30.0);
    // Clamped to [1, 400 KB] for sizes, >= 1 for counts.
    logNormal.median = 400000;
    logNormal.sigma = 2;
    for (int i = 0; i < 1000; ++i) {
        const std::int64_t size = drawSizeBytes(logNormal, rng);
        QVERIFY(size >= 1 && size <= kMaxItemBytes);
    }
    QCOMPARE(drawSizeBytes(fixedSize(0), rng), std::int64_t(1));
    QCOMPARE(drawSizeBytes(fixedSize(500000), rng), kMaxItemBytes);
    QCOMPARE(drawSizeBytes(fixedSize(999.6), rng), std::int64_t(1000));
    QCOMPARE(drawCount(fixedSize(0), rng), std::int64_t(1));
    QCOMPARE(drawCount(fixedSize(7), rng), std::int64_t(7));

    // Weighted choice and uniform values.
    const ValueDistributionSpec weighted = choice({ "a", "b" }, { 3, 1 });
    int as = 0;
    for (int i = 0; i < 40000; ++i)
        as += drawValue(weighted, rng).bytes() == "a" ? 1 : 0;
    QVERIFY(std::abs(as / 40000.0 - 0.75) <= fiveSigma(0.75, 40000));
    ValueDistributionSpec uniform;
    uniform.type = ValueDistributionSpec::Type::Uniform;
    uniform.cardinality = 5;
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const AttributeValue v = drawValue(uniform, rng);
        QVERIFY(v.is(AttrType::S));
        seen.insert(v.bytes());
    }
    QCOMPARE(seen, (std::set<std::string> { "v0", "v1", "v2", "v3", "v4" }));
}

void TestWorkloads::keyRendering_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("sortKey");
    QTest::addColumn<qint64>("index");
    QTest::addColumn<QString>("expected"); // DynamoDB JSON of the value
    QTest::addRow("S partition") << "S" << false << qint64(42) << "{\"S\":\"k42\"}";
    QTest::addRow("S sort") << "S" << true << qint64(7) << "{\"S\":\"s7\"}";
    QTest::addRow("N partition") << "N" << false << qint64(42) << "{\"N\":\"42\"}";
    QTest::addRow("N zero") << "N" << true << qint64(0) << "{\"N\":\"0\"}";
    // 258 = 0x0102: bytes 00 00 00 00 00 00 01 02.
    QTest::addRow("B partition") << "B" << false << qint64(258) << "{\"B\":\"AAAAAAAAAQI=\"}";
    QTest::addRow("B sort") << "B" << true << qint64(0) << "{\"B\":\"AAAAAAAAAAA=\"}";
}

void TestWorkloads::keyRendering()
{
    QFETCH(QString, type);
    QFETCH(bool, sortKey);
    QFETCH(qint64, index);
    QFETCH(QString, expected);
    const AttributeValue value
        = sortKey ? sortKeyValue(attrTypeFrom(type), index) : partitionKeyValue(attrTypeFrom(type), index);
    QCOMPARE(QString::fromStdString(boost::json::serialize(attributeValueToJson(value))), expected);
}

void TestWorkloads::writtenItemsHaveTheDrawnSize_data()
{
    QTest::addColumn<QString>("partitionType");
    QTest::addColumn<QString>("sortType");
    QTest::addColumn<bool>("withAttributes");
    for (const char* pk : { "S", "N", "B" })
        for (const char* sk : { "none", "S", "N", "B" })
            for (bool attributes : { false, true })
                QTest::addRow("%s key, sort %s%s", pk, sk, attributes ? ", attributes" : "") << pk << sk << attributes;
}

void TestWorkloads::writtenItemsHaveTheDrawnSize()
{
    QFETCH(QString, partitionType);
    QFETCH(QString, sortType);
    QFETCH(bool, withAttributes);
    const KeyElement pk { "id", attrTypeFrom(partitionType) };
    const std::optional<KeyElement> sk = sortKeyFrom(sortType);
    for (const auto& size : { fixedSize(1000), fixedSize(4096), uniformSize(300, 5000) }) {
        WorkloadSpec spec = workloadOf(OperationType::PutItem);
        spec.operations = { { OperationType::PutItem, 0.5 }, { OperationType::BatchWriteItem, 0.5 } };
        spec.keys.cardinality = 1000000;
        spec.keys.sortKeysPerKey = 50;
        spec.itemSize = size;
        spec.batchSize = 3;
        if (withAttributes) {
            spec.attributes["status"] = choice({ "open", "closed", "x" }, { 1, 1, 1 });
            ValueDistributionSpec uniform;
            uniform.cardinality = 1000;
            spec.attributes["gsi1"] = uniform;
        }
        RequestGenerator generator(spec, pk, sk, 1, 0);
        // The same draws, replayed on the Sizes stream, give the size each written item must have.
        Rng sizes(1, rngStream(0, RngPurpose::Sizes));
        for (int i = 0; i < 100; ++i) {
            const GeneratedRequest r = generator.next(0);
            std::vector<Item> items;
            if (const auto* put = std::get_if<PutItemRequest>(&r.request))
                items.push_back(put->item);
            else
                for (const auto& write : std::get<BatchWriteItemRequest>(r.request).requestItems.front().second)
                    items.push_back(write.item);
            std::int64_t total = 0;
            for (const Item& item : items) {
                const std::int64_t drawn = drawSizeBytes(size, sizes);
                QCOMPARE(itemSizeBytes(item), drawn);
                QVERIFY(item.count("p") == 1 && item.at("p").is(AttrType::S));
                QCOMPARE(item.count("status") + item.count("gsi1"), std::size_t(withAttributes ? 2 : 0));
                QCOMPARE(item.at("id").type(), pk.type);
                if (sk)
                    QCOMPARE(item.at("sk").type(), sk->type);
                QCOMPARE(item.size(), std::size_t(2 + (sk ? 1 : 0) + (withAttributes ? 2 : 0)));
                total += drawn;
            }
            QCOMPARE(r.itemSizeBytes, total);
            if (r.type == OperationType::PutItem)
                QVERIFY(items.front().at("id") == partitionKeyValue(pk.type, r.partitionKeyIndex));
        }
    }
}

void TestWorkloads::itemBelowTheMinimumKeepsTheMinimum()
{
    // Keys "k<i>" and "s<j>" plus attribute and an empty "p" exceed 5 bytes: the item keeps that
    // minimum with an empty payload.
    WorkloadSpec spec = workloadOf(OperationType::PutItem);
    spec.itemSize = fixedSize(5);
    spec.attributes["colour"] = choice({ "red" });
    RequestGenerator generator(spec, kPk, KeyElement { "sk", AttrType::S }, 1, 0);
    for (int i = 0; i < 20; ++i) {
        const GeneratedRequest r = generator.next(0);
        const Item& item = std::get<PutItemRequest>(r.request).item;
        QCOMPARE(item.at("p").bytes(), std::string());
        Item withoutPayload = item;
        withoutPayload.erase("p");
        QCOMPARE(itemSizeBytes(item), itemSizeBytes(withoutPayload) + 1); // the name "p" itself
        QCOMPARE(r.itemSizeBytes, itemSizeBytes(item));
    }
}

void TestWorkloads::initialItems()
{
    // 10 items with 4 sort keys per partition key: keys 0, 1 with 4 sort keys each, key 2 with 2.
    std::vector<std::pair<std::int64_t, std::int64_t>> keys;
    for (std::int64_t n = 0; n < 10; ++n)
        keys.push_back(initialDataKey(n, 4));
    QCOMPARE(keys.front(), (std::pair<std::int64_t, std::int64_t> { 0, 0 }));
    QCOMPARE(keys[5], (std::pair<std::int64_t, std::int64_t> { 1, 1 }));
    QCOMPARE(keys.back(), (std::pair<std::int64_t, std::int64_t> { 2, 1 }));
    QCOMPARE(initialDataKey(7, 1), (std::pair<std::int64_t, std::int64_t> { 7, 0 }));

    const Item item = initialItem(KeyElement { "pk", AttrType::N }, KeyElement { "sk", AttrType::B }, 12, 3, 2048);
    QCOMPARE(itemSizeBytes(item), std::int64_t(2048));
    QVERIFY(item.at("pk") == AttributeValue::number(Number::fromInt(12)));
    QCOMPARE(item.at("sk").bytes(), std::string("\0\0\0\0\0\0\0\x03", 8));
    QCOMPARE(item.size(), std::size_t(3));
    // A workload's PutItem at the same key renders the same key.
    QVERIFY(
        itemKey(KeyElement { "pk", AttrType::N }, KeyElement { "sk", AttrType::B }, 12, 3).at("pk") == item.at("pk"));
}

void TestWorkloads::updateItemPayloadSizing_data()
{
    QTest::addColumn<bool>("withUpdateAttributes");
    QTest::addRow("payload only") << false;
    QTest::addRow("payload and an attribute") << true;
}

void TestWorkloads::updateItemPayloadSizing()
{
    QFETCH(bool, withUpdateAttributes);
    WorkloadSpec spec = workloadOf(OperationType::UpdateItem);
    spec.itemSize = uniformSize(200, 3000);
    // Values of one size, so that the item after the update has exactly the drawn size.
    spec.attributes["status"] = choice({ "red", "tan", "sky" });
    spec.attributes["region"] = choice({ "eu" });
    if (withUpdateAttributes)
        spec.updateAttributes = { "status" };
    RequestGenerator generator(spec, kPk, KeyElement { "sk", AttrType::N }, 9, 2);
    Rng sizes(9, rngStream(2, RngPurpose::Sizes));
    for (int i = 0; i < 50; ++i) {
        const GeneratedRequest r = generator.next(0);
        QCOMPARE(r.type, OperationType::UpdateItem);
        const auto& update = std::get<UpdateItemRequest>(r.request);
        QCOMPARE(update.tableName, std::string("Orders"));
        QCOMPARE(update.key.size(), std::size_t(2));
        const Item& values = *update.expressionAttributes.values;
        if (withUpdateAttributes) {
            QCOMPARE(*update.updateExpression, std::string("SET p = :p, #u0 = :u0"));
            QCOMPARE(*update.expressionAttributes.names, (std::map<std::string, std::string> { { "#u0", "status" } }));
            QCOMPARE(values.size(), std::size_t(2));
        } else {
            QCOMPARE(*update.updateExpression, std::string("SET p = :p"));
            QVERIFY(!update.expressionAttributes.names); // absent, not empty (DynamoDB rejects an empty map)
            QCOMPARE(values.size(), std::size_t(1));
        }
        // The stored item after the update: key, region (as written by a PutItem), status, p.
        Item after = update.key;
        after["region"] = AttributeValue::string("eu");
        after["status"] = withUpdateAttributes ? values.at(":u0") : AttributeValue::string("red");
        after["p"] = values.at(":p");
        const std::int64_t drawn = drawSizeBytes(spec.itemSize, sizes);
        QCOMPARE(itemSizeBytes(after), drawn);
        QCOMPARE(r.itemSizeBytes, drawn);
    }
}

void TestWorkloads::batchKeysAreDistinct_data()
{
    QTest::addColumn<int>("operation");
    QTest::addColumn<qint64>("cardinality");
    QTest::addColumn<qint64>("sortKeysPerKey");
    QTest::addColumn<bool>("hasSortKey");
    QTest::addColumn<bool>("allOnOneKey");
    QTest::addColumn<int>("expectedKeys");
    QTest::addRow("get, 1000 keys") << int(OperationType::BatchGetItem) << qint64(1000) << qint64(1) << false << false
                                    << 100;
    QTest::addRow("get, 10 keys x 3 sort keys")
        << int(OperationType::BatchGetItem) << qint64(10) << qint64(3) << true << false << 30;
    QTest::addRow("get, sort keys ignored without a sort key")
        << int(OperationType::BatchGetItem) << qint64(10) << qint64(3) << false << false << 10;
    QTest::addRow("write, 1000 keys") << int(OperationType::BatchWriteItem) << qint64(1000) << qint64(1) << false
                                      << false << 25;
    QTest::addRow("write, every draw on one key")
        << int(OperationType::BatchWriteItem) << qint64(1000) << qint64(1) << false << true << 25;
    QTest::addRow("write, one key") << int(OperationType::BatchWriteItem) << qint64(1) << qint64(1) << false << false
                                    << 1;
}

void TestWorkloads::batchKeysAreDistinct()
{
    QFETCH(int, operation);
    QFETCH(qint64, cardinality);
    QFETCH(qint64, sortKeysPerKey);
    QFETCH(bool, hasSortKey);
    QFETCH(bool, allOnOneKey);
    QFETCH(int, expectedKeys);
    const auto type = static_cast<OperationType>(operation);
    WorkloadSpec spec = workloadOf(type);
    spec.keys.cardinality = cardinality;
    spec.keys.sortKeysPerKey = sortKeysPerKey;
    if (allOnOneKey) {
        spec.keys.type = KeyDistributionSpec::Type::HotKey;
        spec.keys.hotKeys = 1;
        spec.keys.hotShare = 1.0;
    }
    const std::optional<KeyElement> sk
        = hasSortKey ? std::optional<KeyElement>(KeyElement { "sk", AttrType::S }) : std::nullopt;
    RequestGenerator generator(spec, kPk, sk, 5, 0);
    for (int i = 0; i < 20; ++i) {
        const GeneratedRequest r = generator.next(0);
        QCOMPARE(r.type, type);
        std::vector<Item> keys;
        if (type == OperationType::BatchGetItem) {
            const auto& request = std::get<BatchGetItemRequest>(r.request);
            QCOMPARE(request.requestItems.size(), std::size_t(1));
            QCOMPARE(request.requestItems.front().first, std::string("Orders"));
            keys = request.requestItems.front().second.keys;
        } else {
            for (const auto& write : std::get<BatchWriteItemRequest>(r.request).requestItems.front().second) {
                QVERIFY(write.isPut);
                QCOMPARE(itemSizeBytes(write.item), std::int64_t(1000));
                Item key;
                key["pk"] = write.item.at("pk");
                keys.push_back(key);
            }
        }
        QCOMPARE(int(keys.size()), expectedKeys);
        std::set<std::string> distinct;
        for (const Item& key : keys)
            distinct.insert(render(key));
        QCOMPARE(int(distinct.size()), expectedKeys);
        QVERIFY(keys.front().at("pk") == partitionKeyValue(AttrType::S, r.partitionKeyIndex));
    }
}

void TestWorkloads::queryShape()
{
    WorkloadSpec spec = workloadOf(OperationType::Query);
    spec.strongFraction = 1.0;
    spec.keys.cardinality = 50;
    RequestGenerator fixedCount(spec, KeyElement { "customer", AttrType::N }, KeyElement { "sk", AttrType::S }, 1, 0);
    for (int i = 0; i < 20; ++i) {
        const GeneratedRequest r = fixedCount.next(0);
        QVERIFY(r.strong);
        const auto& query = std::get<QueryRequest>(r.request);
        QCOMPARE(query.tableName, std::string("Orders"));
        QVERIFY(!query.indexName);
        QCOMPARE(query.keyConditionExpression, std::string("#pk = :pk"));
        QCOMPARE(*query.expressionAttributes.names, (std::map<std::string, std::string> { { "#pk", "customer" } }));
        QCOMPARE(query.expressionAttributes.values->size(), std::size_t(1));
        QVERIFY(query.expressionAttributes.values->at(":pk")
            == AttributeValue::number(Number::fromInt(r.partitionKeyIndex)));
        QVERIFY(r.partitionKeyIndex >= 0 && r.partitionKeyIndex < 50);
        QCOMPARE(*query.limit, std::int64_t(10)); // the default queryItems
        QVERIFY(query.consistentRead);
        QVERIFY(!query.exclusiveStartKey && !query.filterExpression);
    }
    spec.strongFraction = 0.0;
    spec.index = "byStatus";
    spec.queryItems = uniformSize(5, 7);
    RequestGenerator drawnCount(spec, kPk, std::nullopt, 1, 0);
    for (int i = 0; i < 20; ++i) {
        const GeneratedRequest r = drawnCount.next(0);
        const auto& query = std::get<QueryRequest>(r.request);
        QVERIFY(!r.strong && !query.consistentRead);
        QCOMPARE(*query.indexName, std::string("byStatus"));
        QVERIFY(*query.limit >= 5 && *query.limit <= 7);
    }
}

void TestWorkloads::scanShapeAndContinuation()
{
    WorkloadSpec spec = workloadOf(OperationType::Scan);
    RequestGenerator onePage(spec, kPk, std::nullopt, 1, 0);
    // queryItems not given: one 1 MB page, no Limit; continuing from the last LastEvaluatedKey.
    GeneratedRequest r = onePage.next(0);
    QVERIFY(!std::get<ScanRequest>(r.request).limit);
    QVERIFY(!std::get<ScanRequest>(r.request).exclusiveStartKey);
    const Item stop = itemKey(kPk, std::nullopt, 77, 0);
    onePage.noteScanResult(stop);
    r = onePage.next(0);
    QCOMPARE(render(std::get<ScanRequest>(r.request).exclusiveStartKey), render(stop));
    QCOMPARE(std::get<ScanRequest>(r.request).tableName, std::string("Orders"));
    onePage.noteScanResult(std::nullopt); // end of the table: wrap
    r = onePage.next(0);
    QVERIFY(!std::get<ScanRequest>(r.request).exclusiveStartKey);

    // queryItems given explicitly: Limit = queryItems.
    spec.queryItems = fixedSize(25);
    RequestGenerator limited(spec, kPk, std::nullopt, 1, 0, true);
    r = limited.next(0);
    QCOMPARE(*std::get<ScanRequest>(r.request).limit, std::int64_t(25));
    QCOMPARE(r.itemSizeBytes, std::int64_t(0));
}

void TestWorkloads::operationMixAndConsistency()
{
    WorkloadSpec spec = workloadOf(OperationType::GetItem);
    spec.operations
        = { { OperationType::GetItem, 0.7 }, { OperationType::PutItem, 0.2 }, { OperationType::DeleteItem, 0.1 } };
    spec.strongFraction = 0.25;
    RequestGenerator generator(spec, kPk, std::nullopt, 3, 1);
    const int n = 40000;
    std::map<OperationType, int> counts;
    int strongGets = 0;
    for (int i = 0; i < n; ++i) {
        const GeneratedRequest r = generator.next(0);
        ++counts[r.type];
        if (r.type == OperationType::GetItem) {
            QCOMPARE(std::get<GetItemRequest>(r.request).consistentRead, r.strong);
            strongGets += r.strong ? 1 : 0;
        } else {
            QVERIFY(!r.strong); // writes carry no read consistency
        }
        if (r.type == OperationType::DeleteItem)
            QCOMPARE(std::get<DeleteItemRequest>(r.request).key.size(), std::size_t(1));
    }
    QVERIFY(std::abs(counts[OperationType::GetItem] / double(n) - 0.7) <= fiveSigma(0.7, n));
    QVERIFY(std::abs(counts[OperationType::PutItem] / double(n) - 0.2) <= fiveSigma(0.2, n));
    QVERIFY(std::abs(counts[OperationType::DeleteItem] / double(n) - 0.1) <= fiveSigma(0.1, n));
    const double gets = counts[OperationType::GetItem];
    QVERIFY(std::abs(strongGets / gets - 0.25) <= fiveSigma(0.25, gets));
}

void TestWorkloads::generatorIsDeterministic()
{
    WorkloadSpec spec = workloadOf(OperationType::GetItem);
    spec.operations = { { OperationType::GetItem, 0.2 }, { OperationType::PutItem, 0.15 },
        { OperationType::UpdateItem, 0.15 }, { OperationType::DeleteItem, 0.1 }, { OperationType::Query, 0.1 },
        { OperationType::Scan, 0.1 }, { OperationType::BatchGetItem, 0.1 }, { OperationType::BatchWriteItem, 0.1 } };
    spec.strongFraction = 0.3;
    spec.keys.type = KeyDistributionSpec::Type::Zipf;
    spec.keys.cardinality = 5000;
    spec.keys.exponent = 1.1;
    spec.keys.sortKeysPerKey = 4;
    spec.batchSize = 10;
    spec.itemSize.type = SizeDistributionSpec::Type::LogNormal;
    spec.itemSize.median = 2000;
    spec.itemSize.sigma = 1.0;
    spec.attributes["status"] = choice({ "open", "closed" }, { 2, 1 });
    spec.updateAttributes = { "status" };
    const KeyElement sk { "sk", AttrType::N };

    const auto sequence = [&](std::uint64_t seed, std::int64_t workload) {
        RequestGenerator generator(spec, kPk, sk, seed, workload, true);
        std::vector<std::string> out;
        for (int i = 0; i < 400; ++i) {
            const GeneratedRequest r = generator.next(i);
            if (r.type == OperationType::Scan)
                generator.noteScanResult(i % 3 == 0 ? std::nullopt : std::optional<Item>(itemKey(kPk, sk, i, 1)));
            out.push_back(render(r));
        }
        return out;
    };
    const auto first = sequence(42, 0);
    const auto again = sequence(42, 0);
    QCOMPARE(first.size(), std::size_t(400));
    for (std::size_t i = 0; i < first.size(); ++i)
        QCOMPARE(again[i], first[i]);
    std::set<std::string> types;
    for (const auto& line : first)
        types.insert(line.substr(0, line.find(' ')));
    QCOMPARE(types.size(), std::size_t(8)); // every operation was exercised
    QVERIFY(sequence(43, 0) != first);
    QVERIFY(sequence(42, 1) != first);

    // Arrival processes are reproducible too.
    RatePatternSpec pattern = diurnal(500, 0.7, 10, 60);
    ArrivalProcess a(pattern, Rng(42, rngStream(0, RngPurpose::Arrivals)), 0, seconds(60));
    ArrivalProcess b(pattern, Rng(42, rngStream(0, RngPurpose::Arrivals)), 0, seconds(60));
    for (SimTime t = a.next(); t != ArrivalProcess::kNever; t = a.next())
        QCOMPARE(b.next(), t);
    QCOMPARE(b.next(), ArrivalProcess::kNever);
}

void TestWorkloads::indexQueryDrawsAttributeValues()
{
    // An index query's partition key comes from the workload's `attributes` for it.
    WorkloadSpec spec = workloadOf(OperationType::Query);
    spec.index = "byStatus";
    ValueDistributionSpec choice;
    choice.type = ValueDistributionSpec::Type::Choice;
    choice.values = { AttributeValue::string("open"), AttributeValue::string("shipped") };
    spec.attributes["status"] = choice;
    RequestGenerator generator(spec, KeyElement { "status", AttrType::S }, std::nullopt, 1, 0);
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const GeneratedRequest r = generator.next(0);
        const auto& query = std::get<QueryRequest>(r.request);
        const AttributeValue& pk = query.expressionAttributes.values->at(":pk");
        QVERIFY(r.partitionKeyOverride && *r.partitionKeyOverride == pk);
        QCOMPARE(pk.bytes(), std::string(r.partitionKeyIndex == 0 ? "open" : "shipped"));
        seen.insert(pk.bytes());
    }
    QCOMPARE(seen.size(), std::size_t(2));
    // A uniform value distribution: values "v0".."v<N-1>".
    ValueDistributionSpec uniform;
    uniform.cardinality = 3;
    spec.attributes["status"] = uniform;
    RequestGenerator uniformGenerator(spec, KeyElement { "status", AttrType::S }, std::nullopt, 1, 0);
    for (int i = 0; i < 30; ++i) {
        const GeneratedRequest r = uniformGenerator.next(0);
        const auto& query = std::get<QueryRequest>(r.request);
        QVERIFY(r.partitionKeyIndex >= 0 && r.partitionKeyIndex < 3);
        QVERIFY(query.expressionAttributes.values->at(":pk")
            == AttributeValue::string("v" + std::to_string(r.partitionKeyIndex)));
    }
    // No attribute for the index key (an LSI: the table's partition key): "k<i>" as for the table.
    spec.attributes.clear();
    RequestGenerator plain(spec, kPk, std::nullopt, 1, 0);
    const GeneratedRequest r = plain.next(0);
    QVERIFY(!r.partitionKeyOverride);
    QVERIFY(std::get<QueryRequest>(r.request).expressionAttributes.values->at(":pk")
        == partitionKeyValue(AttrType::S, r.partitionKeyIndex));
}

void TestWorkloads::transactionShapes()
{
    WorkloadSpec spec = workloadOf(OperationType::TransactWriteItems);
    spec.keys.cardinality = 1000;
    spec.itemSize = SizeDistributionSpec { SizeDistributionSpec::Type::Fixed, 500 };
    RequestGenerator writes(spec, kPk, std::nullopt, 1, 0);
    for (int i = 0; i < 20; ++i) {
        const GeneratedRequest r = writes.next(0);
        QCOMPARE(r.type, OperationType::TransactWriteItems);
        QVERIFY(!r.strong);
        const auto& request = std::get<TransactWriteItemsRequest>(r.request);
        QCOMPARE(request.actions.size(), std::size_t(kDefaultTransactionSize)); // default 2
        QVERIFY(request.actions[0].item.at("pk") != request.actions[1].item.at("pk"));
        for (const auto& action : request.actions) {
            QCOMPARE(action.type, TransactWriteAction::Type::Put);
            QCOMPARE(action.tableName, std::string("Orders"));
            QCOMPARE(itemSizeBytes(action.item), std::int64_t(500));
        }
        QCOMPARE(r.itemSizeBytes, std::int64_t(1000));
    }
    spec = workloadOf(OperationType::TransactGetItems);
    spec.keys.cardinality = 1000;
    spec.batchSize = 5;
    spec.strongFraction = 1.0;
    RequestGenerator gets(spec, kPk, KeyElement { "sk", AttrType::S }, 1, 0);
    const GeneratedRequest r = gets.next(0);
    QVERIFY(!r.strong);
    const auto& request = std::get<TransactGetItemsRequest>(r.request);
    QCOMPARE(request.gets.size(), std::size_t(5));
    std::set<std::pair<std::string, std::string>> keys;
    for (const auto& get : request.gets)
        keys.insert({ get.key.at("pk").bytes(), get.key.at("sk").bytes() });
    QCOMPARE(keys.size(), std::size_t(5));
}

QTEST_GUILESS_MAIN(TestWorkloads)
#include "tst_workloads.moc"

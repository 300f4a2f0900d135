// Fluid fidelity against full runs (contracts/scenario-format.md, Fidelity; README "Fluid
// fidelity"): the library scenarios that run as flows (shortened where a full run would be slow,
// never changed in kind) and a seeded generator of random scenarios, each run both ways. The
// tolerances, per table: throttled and failed requests within 2 % (or 50 requests when fewer),
// consumed read and write units and cost within 0.5 %, auto-scaling decisions in the same minute
// ± 1, the same splits. CAPSIM_FLUID_CASES sets the number of random cases (the default run: a
// reduced set; the bench-labelled test: 200). The worst case of each figure is printed.

#include "simulator/results_writer.h"
#include "simulator/scenario_loader.h"
#include "simulator/simulator.h"

#include <QtTest>

#include <random>
#include <sstream>

using namespace capsim;

namespace {

struct Worst {
    double throttled = 0; // |fluid - full| / tolerance, the worst seen (<= 1 passes)
    double failed = 0;
    double consumed = 0; // relative difference
    double cost = 0;
    double scalingMinutes = 0; // the largest difference in minutes
    int splitDifference = 0;
    QString throttledCase, failedCase, consumedCase, costCase, scalingCase;
};
Worst g_worst;
int g_cases = 0;

std::shared_ptr<const RunResult> run(const Scenario& s, FidelitySpec::Mode mode, QString& error)
{
    Scenario copy = s;
    if (qEnvironmentVariableIsSet("CAPSIM_FLUID_SEED"))
        copy.seed = static_cast<std::uint64_t>(qEnvironmentVariableIntValue("CAPSIM_FLUID_SEED"));
    // A scenario that asks for sampled fidelity (its storage would not fit a full run) is
    // compared with that: its counts are exact, request by request.
    // The fluid run's engine sample then holds the same keys (fidelity.rate of fluid).
    if (mode == FidelitySpec::Mode::Fluid && s.fidelity.mode == FidelitySpec::Mode::Sampled) {
        copy.fidelity = FidelitySpec {};
        copy.fidelity.mode = mode;
        copy.fidelity.engineShare = s.fidelity.rate;
    } else if (s.fidelity.mode != FidelitySpec::Mode::Sampled) {
        copy.fidelity = FidelitySpec {};
        copy.fidelity.mode = mode;
        if (qEnvironmentVariableIsSet("CAPSIM_FLUID_STEP_MS"))
            copy.fidelity.step = qEnvironmentVariableIntValue("CAPSIM_FLUID_STEP_MS") * SimTime(1000);
    }
    SimulatorOptions options;
    options.pricing = *builtInPricing(copy.region);
    Simulator simulator(copy, options);
    auto result = simulator.run();
    if (!result) {
        error = QString::fromStdString(result.status().toString());
        return nullptr;
    }
    return *result;
}

struct Decision {
    std::string table;
    Dimension dimension;
    EventKind kind;
    double minute;
};

std::vector<Decision> decisions(const RunResult& r)
{
    std::vector<Decision> out;
    for (const auto& e : r.events)
        if (e.kind == EventKind::ScaleOut || e.kind == EventKind::ScaleIn)
            out.push_back({ e.table, std::get<ScalingDecision>(e.payload).dimension, e.kind, std::floor(e.timeSeconds / 60.0) });
    return out;
}

// Compares a fluid run with a full run of the same scenario; the first failed tolerance, or "".
QString compare(const QString& name, const Scenario& s)
{
    QString error;
    const auto full = run(s, FidelitySpec::Mode::Full, error);
    if (!full)
        return name + ": full run failed: " + error;
    const auto fluid = run(s, FidelitySpec::Mode::Fluid, error);
    if (!fluid)
        return name + ": fluid run failed: " + error;
    if (fluid->fidelityMode != FidelitySpec::Mode::Fluid)
        return name + ": the fluid run did not run fluid";
    ++g_cases;
    if (qEnvironmentVariableIsSet("CAPSIM_FLUID_VERBOSE"))
        for (std::size_t i = 0; i < full->tables.size() && i < fluid->tables.size(); ++i) {
            const TableResult& a = full->tables[i];
            const TableResult& b = fluid->tables[i];
            qInfo("%s %s: requests %lld/%lld | %lld/%lld  throttled %lld/%lld | %lld/%lld  failed %lld/%lld | %lld/%lld  consumed %.1f/%.1f | %.1f/%.1f  cost %.6f/%.6f  splits %lld/%lld partitions %lld",
                qPrintable(name), a.name.c_str(), (long long)a.requestsRead, (long long)b.requestsRead, (long long)a.requestsWrite, (long long)b.requestsWrite,
                (long long)a.throttledRead, (long long)b.throttledRead, (long long)a.throttledWrite, (long long)b.throttledWrite,
                (long long)a.failedRead, (long long)b.failedRead, (long long)a.failedWrite, (long long)b.failedWrite,
                a.consumedRead, b.consumedRead, a.consumedWrite, b.consumedWrite, a.cost.total(), b.cost.total(), (long long)a.splits, (long long)b.splits, (long long)a.partitionsInitial);
        }
    if (full->tables.size() != fluid->tables.size())
        return name + ": different tables";
    for (std::size_t i = 0; i < full->tables.size(); ++i) {
        const TableResult& a = full->tables[i];
        const TableResult& b = fluid->tables[i];
        const QString where = name + " " + QString::fromStdString(a.name);
        auto counts = [&](const char* what, double expected, double actual, double& worst, QString& worstCase) -> QString {
            const double tolerance = std::max(0.02 * expected, 50.0);
            const double ratio = std::abs(actual - expected) / tolerance;
            if (ratio > worst) {
                worst = ratio;
                worstCase = where + QString(": %1 fluid %2 full %3").arg(what).arg(actual).arg(expected);
            }
            if (ratio > 1)
                return where + QString(": %1 fluid %2, full %3 (tolerance %4)").arg(what).arg(actual).arg(expected).arg(tolerance);
            return {};
        };
        auto relative = [&](const char* what, double expected, double actual, double& worst, QString& worstCase) -> QString {
            const double difference = std::abs(actual - expected) / std::max(std::abs(expected), 1e-9);
            if (std::abs(actual - expected) < 1e-9)
                return {};
            if (difference > worst) {
                worst = difference;
                worstCase = where + QString(": %1 fluid %2 full %3").arg(what).arg(actual, 0, 'g', 10).arg(expected, 0, 'g', 10);
            }
            if (difference > 0.005)
                return where + QString(": %1 fluid %2, full %3 (%4 % apart, tolerance 0.5 %)")
                                   .arg(what).arg(actual, 0, 'g', 10).arg(expected, 0, 'g', 10).arg(difference * 100, 0, 'f', 3);
            return {};
        };
        for (const QString& problem : {
                 counts("throttled reads", static_cast<double>(a.throttledRead), static_cast<double>(b.throttledRead), g_worst.throttled, g_worst.throttledCase),
                 counts("throttled writes", static_cast<double>(a.throttledWrite), static_cast<double>(b.throttledWrite), g_worst.throttled, g_worst.throttledCase),
                 counts("failed reads", static_cast<double>(a.failedRead), static_cast<double>(b.failedRead), g_worst.failed, g_worst.failedCase),
                 counts("failed writes", static_cast<double>(a.failedWrite), static_cast<double>(b.failedWrite), g_worst.failed, g_worst.failedCase),
                 relative("consumed read units", a.consumedRead, b.consumedRead, g_worst.consumed, g_worst.consumedCase),
                 relative("consumed write units", a.consumedWrite, b.consumedWrite, g_worst.consumed, g_worst.consumedCase),
                 relative("cost", a.cost.total(), b.cost.total(), g_worst.cost, g_worst.costCase) })
            if (!problem.isEmpty())
                return problem;
        if (a.splits != b.splits) {
            g_worst.splitDifference = std::max(g_worst.splitDifference, static_cast<int>(std::abs(a.splits - b.splits)));
            return where + QString(": %1 splits fluid, %2 full").arg(b.splits).arg(a.splits);
        }
    }
    const auto x = decisions(*full);
    const auto y = decisions(*fluid);
    if (x.size() != y.size())
        return name + QString(": %1 auto-scaling decisions fluid, %2 full").arg(y.size()).arg(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i].table != y[i].table || x[i].dimension != y[i].dimension || x[i].kind != y[i].kind)
            return name + QString(": auto-scaling decision %1 differs").arg(i);
        const double minutes = std::abs(x[i].minute - y[i].minute);
        if (minutes > g_worst.scalingMinutes) {
            g_worst.scalingMinutes = minutes;
            g_worst.scalingCase = name + QString(": decision %1 at minute %2 fluid, %3 full").arg(i).arg(y[i].minute).arg(x[i].minute);
        }
        if (minutes > 1)
            return name + QString(": auto-scaling decision %1 at minute %2 fluid, %3 full").arg(i).arg(y[i].minute).arg(x[i].minute);
    }
    return {};
}

// A random scenario of the kinds fluid runs: one or two tables, provisioned (with or without
// auto scaling) or on-demand, workloads with a rate pattern, a key skew, a size distribution
// and a mix of GetItem, PutItem, UpdateItem, DeleteItem and Query, and timed events.
std::string randomScenario(std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    auto pick = [&](int n) { return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng)); };
    auto chance = [&](double p) { return uniform(0, 1) < p; };
    std::ostringstream o;
    const int minutes = 4 + pick(8);
    o << R"({"format":"capsim-scenario/1","name":"random-)" << seed << R"(","duration":")" << minutes << R"(m","seed":)" << seed;
    if (chance(0.3))
        o << R"(,"client":{"maxAttempts":)" << (1 + pick(5)) << "}";
    if (chance(0.3))
        o << R"(,"model":{"burstSeconds":)" << (pick(2) == 0 ? 0 : 60 + pick(240)) << (chance(0.3) ? R"(,"adaptiveCapacity":false)" : "") << "}";
    const int tables = 1 + (chance(0.25) ? 1 : 0);
    o << R"(,"tables":[)";
    std::vector<double> capacity;
    for (int t = 0; t < tables; ++t) {
        if (t)
            o << ",";
        o << R"({"name":"Tab)" << t << R"(","partitionKey":{"name":"pk","type":")" << (pick(2) ? "S" : "N") << R"("})";
        if (chance(0.2))
            o << R"(,"sortKey":{"name":"sk","type":"S"})";
        if (chance(0.3)) {
            o << R"(,"billingMode":"PAY_PER_REQUEST")";
            if (chance(0.5))
                o << R"(,"onDemand":{"previousPeak":{"read":)" << (10 + pick(200)) << R"(,"write":)" << (10 + pick(100)) << "}}";
        } else {
            const int read = 5 + pick(400), write = 5 + pick(300);
            o << R"(,"billingMode":"PROVISIONED","provisioned":{"read":)" << read << R"(,"write":)" << write << "}";
            if (chance(0.5))
                o << R"(,"autoScaling":{"read":{"min":5,"max":2000,"target":)" << (50 + pick(40)) << R"(},"write":{"min":5,"max":2000,"target":)"
                  << (50 + pick(40)) << "}}";
        }
        if (chance(0.5))
            o << R"(,"initialData":{"items":)" << (1000 + pick(20000)) << R"(,"itemSize":{"type":"fixed","size":)" << (100 + pick(3000)) << "}}";
        o << "}";
    }
    o << R"(],"workloads":[)";
    const int workloads = 1 + pick(2);
    for (int w = 0; w < workloads; ++w) {
        if (w)
            o << ",";
        const double rate = uniform(20, 150);
        o << R"({"name":"w)" << w << R"(","table":"Tab)" << pick(tables) << R"(","rate":)";
        switch (pick(5)) {
        case 0: o << R"({"type":"constant","rate":)" << rate; break;
        case 1: o << R"({"type":"step","from":)" << rate << R"(,"to":)" << rate * uniform(0.3, 4) << R"(,"at":")" << 1 + pick(minutes - 1) << R"(m")"; break;
        case 2: o << R"({"type":"spike","base":)" << rate << R"(,"peak":)" << rate * uniform(2, 8) << R"(,"at":")" << 1 + pick(minutes - 2) << R"(m","duration":")" << 20 + pick(200) << R"(s")"; break;
        case 3: o << R"({"type":"ramp","from":)" << rate << R"(,"to":)" << rate * uniform(0.2, 5) << R"(,"start":"1m","over":")" << 1 + pick(minutes - 1) << R"(m")"; break;
        default: o << R"({"type":"diurnal","mean":)" << rate << R"(,"amplitude":)" << uniform(0.1, 0.9) << R"(,"peakAt":")" << pick(minutes) << R"(m","period":")" << minutes << R"(m")"; break;
        }
        o << (chance(0.5) ? R"(,"arrivals":"uniform"})" : "}");
        // Operations: a mix of up to three.
        const char* ops[] = { "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query" };
        std::vector<int> chosen;
        const int count = 1 + pick(3);
        while (static_cast<int>(chosen.size()) < count) {
            const int op = pick(10) < 3 ? 0 : pick(5);
            if (std::find(chosen.begin(), chosen.end(), op) == chosen.end())
                chosen.push_back(op);
        }
        o << R"(,"operations":{)";
        double left = 1.0;
        for (std::size_t i = 0; i < chosen.size(); ++i) {
            const double share = i + 1 == chosen.size() ? left : std::round(left * uniform(0.2, 0.8) * 100) / 100;
            left -= share;
            o << (i ? "," : "") << '"' << ops[chosen[i]] << "\":" << share;
        }
        o << "}";
        if (chance(0.3))
            o << R"(,"consistency":{"strong":)" << uniform(0, 1) << "}";
        const int cardinality = 10 + pick(200000);
        switch (pick(3)) {
        case 0: o << R"(,"keys":{"type":"uniform","cardinality":)" << cardinality << "}"; break;
        case 1: o << R"(,"keys":{"type":"zipf","cardinality":)" << cardinality << R"(,"exponent":)" << uniform(0.6, 1.4) << "}"; break;
        default: o << R"(,"keys":{"type":"hotkey","cardinality":)" << cardinality << R"(,"hotKeys":)" << 1 + pick(5) << R"(,"hotShare":)" << uniform(0.1, 0.9) << "}"; break;
        }
        switch (pick(3)) {
        case 0: o << R"(,"itemSize":{"type":"fixed","size":)" << 100 + pick(6000) << "}"; break;
        case 1: {
            const int lo = 50 + pick(2000);
            o << R"(,"itemSize":{"type":"uniform","min":)" << lo << R"(,"max":)" << lo + pick(5000) << "}";
            break;
        }
        default: o << R"(,"itemSize":{"type":"lognormal","median":)" << 200 + pick(3000) << R"(,"sigma":)" << uniform(0.1, 1.0) << "}"; break;
        }
        if (chance(0.3))
            o << R"(,"queryItems":{"type":"fixed","count":)" << 1 + pick(20) << "}";
        o << "}";
    }
    o << "]";
    if (chance(0.4)) {
        o << R"(,"events":[)";
        if (chance(0.5))
            o << R"({"at":")" << 1 + pick(minutes - 1) << R"(m","action":"setWorkloadRate","workload":"w0","rate":{"type":"constant","rate":)" << uniform(10, 800) << "}}";
        else
            o << R"({"at":")" << 1 + pick(minutes - 1) << R"(m","action":"updateTable","table":"Tab0","provisioned":{"read":)" << 5 + pick(800) << R"(,"write":)" << 5 + pick(600) << "}}";
        o << "]";
    }
    o << "}";
    return o.str();
}

} // namespace

class TestFluid : public QObject {
    Q_OBJECT
private slots:
    void summarySaysFluid()
    {
        auto loaded = loadScenarioText(R"({"format":"capsim-scenario/1","name":"f","duration":"2m","fidelity":{"mode":"fluid","step":"500ms"},
            "tables":[{"name":"Tab","partitionKey":{"name":"pk","type":"S"},"billingMode":"PROVISIONED","provisioned":{"read":50,"write":50}}],
            "workloads":[{"table":"Tab","rate":{"type":"constant","rate":100},"operations":{"GetItem":0.5,"PutItem":0.5}}]})", ".");
        QVERIFY2(loaded.scenario, formatErrors(loaded.errors).c_str());
        QCOMPARE(loaded.scenario->fidelity.step, SimTime(500000));
        SimulatorOptions options;
        options.pricing = *builtInPricing("us-east-1");
        Simulator simulator(*loaded.scenario, options);
        auto result = simulator.run();
        QVERIFY(result);
        QCOMPARE((*result)->fidelityMode, FidelitySpec::Mode::Fluid);
        std::string summary = summaryJson(**result);
        std::erase_if(summary, [](char c) { return c == ' ' || c == '\n'; });
        QVERIFY2(summary.find(R"("fidelity":{"mode":"fluid","step":"500ms"})") != std::string::npos, summary.substr(0, 300).c_str());
        // 100 requests/s for 120 s, half reads of absent items (0.5 RCU eventual), half 1 KB writes.
        // Poisson arrivals around 12,000.
        const auto requests = (*result)->tables[0].requestsRead + (*result)->tables[0].requestsWrite;
        QVERIFY2(requests > 11600 && requests < 12400, qPrintable(QString::number(requests)));
    }

    void refusedFeaturesNameTheirField()
    {
        auto loaded = loadScenarioText(R"({"format":"capsim-scenario/1","name":"f","duration":"2m","fidelity":{"mode":"fluid"},
            "tables":[{"name":"Tab","partitionKey":{"name":"pk","type":"S"},"billingMode":"PAY_PER_REQUEST"}],
            "workloads":[{"table":"Tab","rate":{"type":"constant","rate":10},"operations":{"GetItem":0.5,"BatchWriteItem":0.5}}]})", ".");
        QVERIFY(loaded.scenario);
        SimulatorOptions options;
        options.pricing = *builtInPricing("us-east-1");
        Simulator simulator(*loaded.scenario, options);
        auto result = simulator.run();
        QVERIFY(!result);
        QVERIFY2(result.status().message().find("workloads[0].operations: BatchWriteItem") != std::string::npos,
            result.status().message().c_str());
        // auto never picks fluid for it, however long.
        loaded.scenario->duration = 400 * kSimHour;
        loaded.scenario->fidelity = {};
        QVERIFY(Simulator::expectedRequests(*loaded.scenario) > 1e7);
        loaded.scenario->workloads[0].rate.rate = 1000;
        QVERIFY(Simulator::expectedRequests(*loaded.scenario) > 1e8);
        QCOMPARE(Simulator::resolveFidelity(*loaded.scenario).mode, FidelitySpec::Mode::Sampled);
        loaded.scenario->workloads[0].operations = { { OperationType::GetItem, 1.0 } };
        QCOMPARE(Simulator::resolveFidelity(*loaded.scenario).mode, FidelitySpec::Mode::Fluid);
        loaded.scenario->workloads[0].rate.rate = 60;
        QCOMPARE(Simulator::resolveFidelity(*loaded.scenario).mode, FidelitySpec::Mode::Sampled); // 86 M requests
    }

    void libraryScenarios()
    {
        const QDir dir(CAPSIM_SOURCE_DIR "/resources/scenarios");
        int compared = 0;
        for (const auto& f : dir.entryList({ "*.json" })) {
            auto loaded = loadScenarioFile(dir.filePath(f).toStdString());
            QVERIFY(loaded.scenario);
            Scenario s = *loaded.scenario;
            if (!fluidUnsupported(s).empty()) {
                qInfo("%s: not compared (%s)", qPrintable(f), fluidUnsupported(s).c_str());
                continue;
            }
            // The default run leaves out scenarios whose initialData alone makes a full run slow
            // (lesson 20's two million items); the bench-labelled run compares them.
            const bool bench = qEnvironmentVariableIntValue("CAPSIM_FLUID_CASES") >= 100;
            std::int64_t items = 0;
            for (const auto& t : s.tables)
                items += t.initialData ? t.initialData->items : 0;
            if (!bench && items > 100000 && s.fidelity.mode != FidelitySpec::Mode::Sampled) {
                qInfo("%s: compared in the bench-labelled run only (%lld initialData items)", qPrintable(f), static_cast<long long>(items));
                continue;
            }
            // Shortened where a full run would be slow: the first part of the same scenario.
            const double requests = Simulator::expectedRequests(s);
            // The bench-labelled run (CAPSIM_FLUID_CASES >= 100) compares longer stretches.
            const double kMaxRequests = qEnvironmentVariableIntValue("CAPSIM_FLUID_CASES") >= 100 ? 200000 : 30000;
            if (requests > kMaxRequests) {
                const SimTime shorter = std::max(kSimMinute, static_cast<SimTime>(static_cast<double>(s.duration) * kMaxRequests / requests) / kSimMinute * kSimMinute);
                qInfo("%s: shortened to %lld s", qPrintable(f), static_cast<long long>(shorter / kSimSecond));
                s.duration = shorter;
                std::erase_if(s.events, [&](const EventSpec& e) { return e.at >= shorter; });
            }
            const QString problem = compare(f, s);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            ++compared;
        }
        QVERIFY(compared >= 6);
    }

    void randomScenarios()
    {
        const int cases = qEnvironmentVariableIsSet("CAPSIM_FLUID_CASES") ? qEnvironmentVariableIntValue("CAPSIM_FLUID_CASES") : 4;
        QStringList failures;
        for (int i = 0; i < cases; ++i) {
            const std::string text = randomScenario(static_cast<std::uint64_t>(1000 + i));
            auto loaded = loadScenarioText(text, ".");
            QVERIFY2(loaded.scenario, qPrintable(QString::fromStdString(formatErrors(loaded.errors) + text)));
            const QString problem = compare(QString("random %1").arg(1000 + i), *loaded.scenario);
            if (!problem.isEmpty())
                failures << problem;
        }
        qInfo("%d cases compared; worst: throttled %.3f of tolerance (%s); failed %.3f of tolerance (%s); consumed %.4f %% (%s); "
              "cost %.4f %% (%s); scaling %.0f minutes (%s); split difference %d",
            g_cases, g_worst.throttled, qPrintable(g_worst.throttledCase), g_worst.failed, qPrintable(g_worst.failedCase),
            g_worst.consumed * 100, qPrintable(g_worst.consumedCase), g_worst.cost * 100, qPrintable(g_worst.costCase),
            g_worst.scalingMinutes, qPrintable(g_worst.scalingCase), g_worst.splitDifference);
        QVERIFY2(failures.isEmpty(), qPrintable(QString("%1 of %2 cases out of tolerance:\n").arg(failures.size()).arg(cases) + failures.join("\n")));
    }
};

QTEST_GUILESS_MAIN(TestFluid)
#include "tst_fluid.moc"

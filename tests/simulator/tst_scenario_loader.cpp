#include "simulator/scenario_loader.h"

#include "tests/support/wire.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace capsim;
using capsim::test::J;

namespace {

// RFC 7386 merge patch, extended for arrays: a patch object whose keys are indexes ("0", "1")
// patches those elements (an index equal to the size appends). null deletes a member.
void mergePatch(boost::json::value& target, const boost::json::value& patch)
{
    if (!patch.is_object()) {
        target = patch;
        return;
    }
    if (target.is_array()) {
        auto& array = target.get_array();
        for (const auto& entry : patch.get_object()) {
            const auto index = std::stoul(std::string(entry.key()));
            if (index == array.size())
                array.emplace_back(nullptr);
            mergePatch(array.at(index), entry.value());
        }
        return;
    }
    if (!target.is_object())
        target = boost::json::object();
    for (const auto& entry : patch.get_object()) {
        if (entry.value().is_null())
            target.get_object().erase(entry.key());
        else
            mergePatch(target.get_object()[entry.key()], entry.value());
    }
}

// The smallest valid scenario; rows patch it.
const std::string kBase = "{'format':'capsim-scenario/1','name':'base','duration':'1h',"
                          "'tables':[{'name':'orders','partitionKey':{'name':'pk','type':'S'},"
                          "'billingMode':'PROVISIONED','provisioned':{'read':100,'write':50}}],"
                          "'workloads':[{'table':'orders','rate':{'type':'constant','rate':10},"
                          "'operations':{'GetItem':1}}]}";

std::string patched(const QString& patch)
{
    auto v = capsim::test::parse(J(kBase));
    if (!patch.isEmpty())
        mergePatch(v, capsim::test::parse(J(patch.toStdString())));
    return toJsonText(v);
}

LoadResult loadPatched(const QString& patch, const std::string& base = ".")
{
    return loadScenarioText(patched(patch), base);
}

QString errorText(const LoadResult& r)
{
    return QString::fromStdString(formatErrors(r.errors));
}

void writeFile(const QString& path, const std::string& text)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

} // namespace

class TestScenarioLoader : public QObject {
    Q_OBJECT
private slots:
    void fullScenario()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.filePath("prices.json"), "{}");
        writeFile(dir.filePath("traffic.csv"), "Timestamp,Sum\n2024-01-01T00:00,600\n2024-01-01T00:01,1200\n");
        const std::string text = J(
            "{'format':'capsim-scenario/1','name':'everything','description':'all fields',"
            "'region':'eu-west-1','pricing':'prices.json','freeTier':true,'duration':'2h','seed':42,"
            "'fidelity':{'mode':'sampled','rate':0.25},"
            "'client':{'maxAttempts':3,'baseDelay':'50ms','maxDelay':'2s'},"
            "'model':{'partitionRead':2500,'partitionWrite':800,'partitionSize':'5GB','partitionLimitRule':'linear',"
            "  'burstSeconds':120,'burstAtStart':'empty','adaptiveCapacity':false,"
            "  'splitForHeat':{'enabled':false,'threshold':0.5,'sustain':'1m','delay':'3m'},"
            "  'updateTableDelay':'90s','onDemandWindow':'10m',"
            "  'autoScaling':{'scaleOutDatapoints':3,'scaleInDatapoints':10,'scaleInMarginPoints':12.5},"
            "  'latency':{'read':'lognormal(3ms,0.25)','write':'lognormal(7.5ms, 0)'}},"
            "'tables':["
            " {'name':'orders','partitionKey':{'name':'customer','type':'S'},'sortKey':{'name':'ts','type':'N'},"
            "  'billingMode':'PROVISIONED','tableClass':'STANDARD_INFREQUENT_ACCESS','provisioned':{'read':400,'write':200},"
            "  'autoScaling':{'read':{'min':100,'max':4000,'target':70},'write':{'min':50,'max':1000,'target':50.5}},"
            "  'initialData':{'items':100000,'itemSize':{'type':'lognormal','median':'2KB','sigma':0.3},'sortKeysPerKey':10},"
            "  'globalSecondaryIndexes':[],'localSecondaryIndexes':[],'pitr':false,'replicas':[],'x-note':'kept out'},"
            " {'name':'sessions.v2','partitionKey':{'name':'id','type':'B'},'billingMode':'PAY_PER_REQUEST',"
            "  'onDemand':{'maxRead':9000,'maxWrite':3000,'previousPeak':{'read':100,'write':40}}}],"
            "'workloads':["
            " {'name':'browse','table':'orders','rate':{'type':'diurnal','mean':50,'amplitude':0.5,'peakAt':'14h','arrivals':'uniform'},"
            "  'operations':{'Query':0.5,'GetItem':0.3,'BatchGetItem':0.2},'consistency':{'strong':0.2},"
            "  'keys':{'type':'zipf','cardinality':5000,'exponent':1.2,'sortKeysPerKey':10},"
            "  'queryItems':{'type':'uniform','min':1,'max':20},'batchSize':50},"
            " {'table':'orders','rate':{'type':'sum','of':[{'type':'step','from':1,'to':2.5,'at':'10m'},"
            "    {'type':'ramp','from':0,'to':10,'start':60,'over':'30m'},{'type':'spike','base':0,'peak':100,'at':'1h','duration':'5m'},"
            "    {'type':'trace','file':'traffic.csv','column':'Sum','interval':'1m'}]},"
            "  'operations':{'PutItem':0.6,'UpdateItem':0.2,'DeleteItem':0.1,'BatchWriteItem':0.1},'consistency':'strong',"
            "  'keys':{'type':'hotkey','cardinality':1000,'hotKeys':3,'hotShare':0.4},"
            "  'itemSize':{'type':'uniform','min':'1KB','max':4096},'batchSize':25,"
            "  'attributes':{'status':{'type':'choice','values':['open',3,true,{'SS':['a','b']}],'weights':[1,2,3,4]},"
            "    'bucket':{'type':'uniform','cardinality':16}},'updateAttributes':['status']},"
            " {'name':'scanner','table':'sessions.v2','rate':{'type':'constant','rate':0.5},'operations':{'Scan':1},"
            "  'keys':{'type':'sequential','cardinality':10}}],"
            "'events':["
            " {'at':'30m','action':'updateTable','table':'orders','provisioned':{'read':800,'write':400}},"
            " {'at':'40m','action':'updateTable','table':'sessions.v2','billingMode':'PROVISIONED','provisioned':{'read':5}},"
            " {'at':'50m','action':'updateTable','table':'orders','tableClass':'STANDARD'},"
            " {'at':3600,'action':'setAutoScaling','table':'orders','autoScaling':{'write':{'min':1,'max':10,'target':20}}},"
            " {'at':'2h','action':'setWorkloadRate','workload':'browse','rate':{'type':'constant','rate':0}}]}");
        const auto r = loadScenarioText(text, dir.path().toStdString());
        QVERIFY2(r.scenario, qPrintable(errorText(r)));
        QVERIFY(r.errors.empty());
        const Scenario& s = *r.scenario;
        QCOMPARE(s.name, std::string("everything"));
        QCOMPARE(s.description, std::string("all fields"));
        QCOMPARE(s.region, std::string("eu-west-1"));
        QVERIFY(s.pricingFile);
        QVERIFY(QFileInfo(QString::fromStdString(*s.pricingFile)).isFile());
        QCOMPARE(s.freeTier, true);
        QCOMPARE(s.duration, 2 * kSimHour);
        QCOMPARE(s.seed, std::uint64_t(42));
        QVERIFY(s.fidelity.mode == FidelitySpec::Mode::Sampled);
        QCOMPARE(s.fidelity.rate, 0.25);
        QCOMPARE(s.client.maxAttempts, 3);
        QCOMPARE(s.client.baseDelay, SimTime(50000));
        QCOMPARE(s.client.maxDelay, 2 * kSimSecond);
        QCOMPARE(s.model.partitionRead, 2500.0);
        QCOMPARE(s.model.partitionWrite, 800.0);
        QCOMPARE(s.model.partitionSizeBytes, std::int64_t(5) << 30);
        QVERIFY(s.model.partitionLimitRule == PartitionLimitRule::Linear);
        QCOMPARE(s.model.burstSeconds, 120.0);
        QCOMPARE(s.model.burstAtStartFull, false);
        QCOMPARE(s.model.adaptiveCapacity, false);
        QCOMPARE(s.model.splitForHeat.enabled, false);
        QCOMPARE(s.model.splitForHeat.threshold, 0.5);
        QCOMPARE(s.model.splitForHeat.sustain, kSimMinute);
        QCOMPARE(s.model.splitForHeat.delay, 3 * kSimMinute);
        QCOMPARE(s.model.updateTableDelay, 90 * kSimSecond);
        QCOMPARE(s.model.onDemandWindow, 10 * kSimMinute);
        QCOMPARE(s.model.autoScaling.scaleOutDatapoints, std::int64_t(3));
        QCOMPARE(s.model.autoScaling.scaleInDatapoints, std::int64_t(10));
        QCOMPARE(s.model.autoScaling.scaleInMarginPoints, 12.5);
        QCOMPARE(s.model.latency.readMedian, SimTime(3000));
        QCOMPARE(s.model.latency.readSigma, 0.25);
        QCOMPARE(s.model.latency.writeMedian, SimTime(7500));
        QCOMPARE(s.model.latency.writeSigma, 0.0);

        QCOMPARE(s.tables.size(), std::size_t(2));
        const TableSpec& orders = s.tables[0];
        QCOMPARE(orders.name, std::string("orders"));
        QCOMPARE(orders.partitionKey.name, std::string("customer"));
        QVERIFY(orders.partitionKey.type == AttrType::S);
        QVERIFY(orders.sortKey && orders.sortKey->name == "ts" && orders.sortKey->type == AttrType::N);
        QVERIFY(orders.billingMode == BillingMode::Provisioned);
        QVERIFY(orders.tableClass == TableClass::StandardInfrequentAccess);
        QCOMPARE(orders.provisionedRead, std::int64_t(400));
        QCOMPARE(orders.provisionedWrite, std::int64_t(200));
        QVERIFY(orders.autoScaling && orders.autoScaling->read && orders.autoScaling->write);
        QCOMPARE(orders.autoScaling->read->min, std::int64_t(100));
        QCOMPARE(orders.autoScaling->read->max, std::int64_t(4000));
        QCOMPARE(orders.autoScaling->read->targetPercent, 70.0);
        QCOMPARE(orders.autoScaling->write->targetPercent, 50.5);
        QVERIFY(orders.initialData);
        QCOMPARE(orders.initialData->items, std::int64_t(100000));
        QVERIFY(orders.initialData->itemSize.type == SizeDistributionSpec::Type::LogNormal);
        QCOMPARE(orders.initialData->itemSize.median, 2048.0);
        QCOMPARE(orders.initialData->itemSize.sigma, 0.3);
        QCOMPARE(orders.initialData->sortKeysPerKey, std::int64_t(10));
        const TableSpec& sessions = s.tables[1];
        QVERIFY(sessions.partitionKey.type == AttrType::B);
        QVERIFY(!sessions.sortKey);
        QVERIFY(sessions.billingMode == BillingMode::PayPerRequest);
        QCOMPARE(sessions.onDemand.maxRead, std::optional<std::int64_t>(9000));
        QCOMPARE(sessions.onDemand.maxWrite, std::optional<std::int64_t>(3000));
        QCOMPARE(sessions.onDemand.previousPeakRead, std::int64_t(100));
        QCOMPARE(sessions.onDemand.previousPeakWrite, std::int64_t(40));

        QCOMPARE(s.workloads.size(), std::size_t(3));
        const WorkloadSpec& browse = s.workloads[0];
        QCOMPARE(browse.name, std::string("browse"));
        QCOMPARE(browse.table, std::string("orders"));
        QVERIFY(browse.rate.type == RatePatternSpec::Type::Diurnal);
        QCOMPARE(browse.rate.mean, 50.0);
        QCOMPARE(browse.rate.amplitude, 0.5);
        QCOMPARE(browse.rate.peakAt, 14 * kSimHour);
        QCOMPARE(browse.rate.period, 24 * kSimHour);
        QCOMPARE(browse.rate.uniformArrivals, true);
        // Operations come out in OperationType order, whatever order the file lists them in.
        QCOMPARE(browse.operations.size(), std::size_t(3));
        QVERIFY(browse.operations[0] == std::make_pair(OperationType::GetItem, 0.3));
        QVERIFY(browse.operations[1] == std::make_pair(OperationType::Query, 0.5));
        QVERIFY(browse.operations[2] == std::make_pair(OperationType::BatchGetItem, 0.2));
        QCOMPARE(browse.strongFraction, 0.2);
        QVERIFY(browse.keys.type == KeyDistributionSpec::Type::Zipf);
        QCOMPARE(browse.keys.cardinality, std::int64_t(5000));
        QCOMPARE(browse.keys.exponent, 1.2);
        QCOMPARE(browse.keys.sortKeysPerKey, std::int64_t(10));
        QVERIFY(browse.queryItems.type == SizeDistributionSpec::Type::Uniform);
        QCOMPARE(browse.queryItems.min, 1.0);
        QCOMPARE(browse.queryItems.max, 20.0);
        QCOMPARE(browse.batchSize, std::optional<std::int64_t>(50));

        const WorkloadSpec& writer = s.workloads[1];
        QCOMPARE(writer.name, std::string("workload1"));
        QVERIFY(writer.rate.type == RatePatternSpec::Type::Sum);
        QCOMPARE(writer.rate.uniformArrivals, false);
        QCOMPARE(writer.rate.of.size(), std::size_t(4));
        QVERIFY(writer.rate.of[0].type == RatePatternSpec::Type::Step);
        QCOMPARE(writer.rate.of[0].to, 2.5);
        QCOMPARE(writer.rate.of[0].at, 10 * kSimMinute);
        QVERIFY(writer.rate.of[1].type == RatePatternSpec::Type::Ramp);
        QCOMPARE(writer.rate.of[1].start, 60 * kSimSecond);
        QCOMPARE(writer.rate.of[1].over, 30 * kSimMinute);
        QVERIFY(writer.rate.of[2].type == RatePatternSpec::Type::Spike);
        QCOMPARE(writer.rate.of[2].peak, 100.0);
        QCOMPARE(writer.rate.of[2].duration, 5 * kSimMinute);
        QVERIFY(writer.rate.of[3].type == RatePatternSpec::Type::Trace);
        QCOMPARE(writer.rate.of[3].traceRates, (std::vector<double> { 10.0, 20.0 }));
        QCOMPARE(writer.strongFraction, 1.0);
        QVERIFY(writer.keys.type == KeyDistributionSpec::Type::HotKey);
        QCOMPARE(writer.keys.hotKeys, std::int64_t(3));
        QCOMPARE(writer.keys.hotShare, 0.4);
        QVERIFY(writer.itemSize.type == SizeDistributionSpec::Type::Uniform);
        QCOMPARE(writer.itemSize.min, 1024.0);
        QCOMPARE(writer.itemSize.max, 4096.0);
        QCOMPARE(writer.batchSize, std::optional<std::int64_t>(25));
        QCOMPARE(writer.attributes.size(), std::size_t(2));
        const auto& status = writer.attributes.at("status");
        QVERIFY(status.type == ValueDistributionSpec::Type::Choice);
        QCOMPARE(status.values.size(), std::size_t(4));
        QVERIFY(status.values[0] == AttributeValue::string("open"));
        QVERIFY(status.values[1] == AttributeValue::number(Number::fromInt(3)));
        QVERIFY(status.values[2] == AttributeValue::boolean(true));
        QVERIFY(status.values[3] == AttributeValue::stringSet({ "a", "b" }));
        QCOMPARE(status.weights, (std::vector<double> { 1, 2, 3, 4 }));
        QVERIFY(writer.attributes.at("bucket").type == ValueDistributionSpec::Type::Uniform);
        QCOMPARE(writer.attributes.at("bucket").cardinality, std::int64_t(16));
        QCOMPARE(writer.updateAttributes, std::vector<std::string> { "status" });
        QVERIFY(s.workloads[2].keys.type == KeyDistributionSpec::Type::Sequential);
        QCOMPARE(s.workloads[2].rate.rate, 0.5);

        QCOMPARE(s.events.size(), std::size_t(5));
        QVERIFY(s.events[0].action == EventSpec::Action::UpdateTable);
        QCOMPARE(s.events[0].at, 30 * kSimMinute);
        QCOMPARE(s.events[0].table, std::string("orders"));
        QCOMPARE(s.events[0].provisionedRead, std::optional<std::int64_t>(800));
        QCOMPARE(s.events[0].provisionedWrite, std::optional<std::int64_t>(400));
        QVERIFY(s.events[1].billingMode == BillingMode::Provisioned);
        QCOMPARE(s.events[1].provisionedRead, std::optional<std::int64_t>(5));
        QVERIFY(!s.events[1].provisionedWrite);
        QVERIFY(s.events[2].tableClass == TableClass::Standard);
        QVERIFY(s.events[3].action == EventSpec::Action::SetAutoScaling);
        QCOMPARE(s.events[3].at, kSimHour);
        QVERIFY(s.events[3].autoScaling && !s.events[3].autoScaling->read && s.events[3].autoScaling->write);
        QCOMPARE(s.events[3].autoScaling->write->targetPercent, 20.0);
        QVERIFY(s.events[4].action == EventSpec::Action::SetWorkloadRate);
        QCOMPARE(s.events[4].at, 2 * kSimHour);
        QCOMPARE(s.events[4].workload, std::string("browse"));
        QVERIFY(s.events[4].rate && s.events[4].rate->type == RatePatternSpec::Type::Constant);
    }

    void defaults()
    {
        const auto r = loadPatched("");
        QVERIFY2(r.scenario, qPrintable(errorText(r)));
        const Scenario& s = *r.scenario;
        QCOMPARE(s.description, std::string());
        QCOMPARE(s.region, std::string("us-east-1"));
        QVERIFY(!s.pricingFile);
        QCOMPARE(s.freeTier, false);
        QCOMPARE(s.seed, std::uint64_t(1));
        QVERIFY(s.fidelity.mode == FidelitySpec::Mode::Auto);
        QCOMPARE(s.client.maxAttempts, 10);
        QCOMPARE(s.client.baseDelay, SimTime(25000));
        QCOMPARE(s.client.maxDelay, 20 * kSimSecond);
        QCOMPARE(s.model.partitionRead, 3000.0);
        QCOMPARE(s.model.partitionWrite, 1000.0);
        QCOMPARE(s.model.autoScaling.scaleOutDatapoints, std::int64_t(2));
        QCOMPARE(s.model.autoScaling.scaleInDatapoints, std::int64_t(15));
        QCOMPARE(s.model.autoScaling.scaleInMarginPoints, 20.0);
        QCOMPARE(s.model.partitionSizeBytes, std::int64_t(10) << 30);
        QVERIFY(s.model.partitionLimitRule == PartitionLimitRule::Independent);
        QCOMPARE(s.model.burstSeconds, 300.0);
        QCOMPARE(s.model.burstAtStartFull, true);
        QCOMPARE(s.model.adaptiveCapacity, true);
        QCOMPARE(s.model.splitForHeat.enabled, true);
        QCOMPARE(s.model.splitForHeat.threshold, 0.8);
        QCOMPARE(s.model.splitForHeat.sustain, 5 * kSimMinute);
        QCOMPARE(s.model.splitForHeat.delay, 10 * kSimMinute);
        QCOMPARE(s.model.updateTableDelay, 2 * kSimMinute);
        QCOMPARE(s.model.onDemandWindow, 30 * kSimMinute);
        QCOMPARE(s.model.latency.readMedian, SimTime(4000));
        QCOMPARE(s.model.latency.writeMedian, SimTime(6000));
        QCOMPARE(s.model.latency.readSigma, 0.5);
        QCOMPARE(s.tables[0].tableClass, TableClass::Standard);
        QVERIFY(!s.tables[0].sortKey);
        QVERIFY(!s.tables[0].autoScaling);
        QVERIFY(!s.tables[0].initialData);
        QVERIFY(s.events.empty());
        const WorkloadSpec& w = s.workloads[0];
        QCOMPARE(w.name, std::string("workload0"));
        QCOMPARE(w.strongFraction, 0.0);
        QVERIFY(w.keys.type == KeyDistributionSpec::Type::Uniform);
        QCOMPARE(w.keys.cardinality, std::int64_t(100000));
        QCOMPARE(w.keys.sortKeysPerKey, std::int64_t(1));
        QVERIFY(w.itemSize.type == SizeDistributionSpec::Type::Fixed);
        QCOMPARE(w.itemSize.value, 1000.0);
        QVERIFY(w.queryItems.type == SizeDistributionSpec::Type::Fixed);
        QCOMPARE(w.queryItems.value, 10.0);
        QVERIFY(!w.batchSize);
        QVERIFY(w.attributes.empty());
        QVERIFY(w.updateAttributes.empty());
        QCOMPARE(w.rate.uniformArrivals, false);

        const auto onDemand = loadPatched("{'tables':{'0':{'billingMode':'PAY_PER_REQUEST','provisioned':null}},"
                                          "'workloads':{'1':{'table':'orders','rate':{'type':'constant','rate':1},"
                                          "'operations':{'PutItem':1}}}}");
        QVERIFY2(onDemand.scenario, qPrintable(errorText(onDemand)));
        QCOMPARE(onDemand.scenario->tables[0].onDemand.previousPeakRead, std::int64_t(6000));
        QCOMPARE(onDemand.scenario->tables[0].onDemand.previousPeakWrite, std::int64_t(2000));
        QVERIFY(!onDemand.scenario->tables[0].onDemand.maxRead);
        QCOMPARE(onDemand.scenario->workloads[1].name, std::string("workload1"));

        const auto initial = loadPatched("{'tables':{'0':{'initialData':{'items':5}}}}");
        QVERIFY2(initial.scenario, qPrintable(errorText(initial)));
        QCOMPARE(initial.scenario->tables[0].initialData->itemSize.value, 1000.0);
        QCOMPARE(initial.scenario->tables[0].initialData->sortKeysPerKey, std::int64_t(1));
    }

    void values_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<qint64>("duration");
        QTest::addColumn<qint64>("partitionSize");
        QTest::addRow("seconds number") << "{'duration':90}" << qint64(90000000) << qint64(10737418240);
        QTest::addRow("fractional seconds") << "{'duration':1.5}" << qint64(1500000) << qint64(10737418240);
        QTest::addRow("ms") << "{'duration':'250ms'}" << qint64(250000) << qint64(10737418240);
        QTest::addRow("s") << "{'duration':'90s'}" << qint64(90000000) << qint64(10737418240);
        QTest::addRow("fractional s") << "{'duration':'0.1s'}" << qint64(100000) << qint64(10737418240);
        QTest::addRow("m") << "{'duration':'15m'}" << qint64(900000000) << qint64(10737418240);
        QTest::addRow("h") << "{'duration':'2h'}" << qint64(7200000000) << qint64(10737418240);
        QTest::addRow("d") << "{'duration':'30d'}" << qint64(2592000000000) << qint64(10737418240);
        QTest::addRow("bytes") << "{'model':{'partitionSize':1000}}" << qint64(3600000000) << qint64(1000);
        QTest::addRow("B") << "{'model':{'partitionSize':'7B'}}" << qint64(3600000000) << qint64(7);
        QTest::addRow("KB is 1024") << "{'model':{'partitionSize':'1KB'}}" << qint64(3600000000) << qint64(1024);
        QTest::addRow("fractional KB") << "{'model':{'partitionSize':'1.5KB'}}" << qint64(3600000000) << qint64(1536);
        QTest::addRow("MB") << "{'model':{'partitionSize':'3MB'}}" << qint64(3600000000) << qint64(3145728);
        QTest::addRow("GB") << "{'model':{'partitionSize':'2GB'}}" << qint64(3600000000) << qint64(2147483648);
    }
    void values()
    {
        QFETCH(QString, patch);
        QFETCH(qint64, duration);
        QFETCH(qint64, partitionSize);
        const auto r = loadPatched(patch);
        QVERIFY2(r.scenario, qPrintable(errorText(r)));
        QCOMPARE(qint64(r.scenario->duration), duration);
        QCOMPARE(qint64(r.scenario->model.partitionSizeBytes), partitionSize);
    }

    void consistency_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<double>("strongFraction");
        QTest::addRow("eventual") << "{'workloads':{'0':{'consistency':'eventual'}}}" << 0.0;
        QTest::addRow("strong") << "{'workloads':{'0':{'consistency':'strong'}}}" << 1.0;
        QTest::addRow("mix") << "{'workloads':{'0':{'consistency':{'strong':0.2}}}}" << 0.2;
    }
    void consistency()
    {
        QFETCH(QString, patch);
        QFETCH(double, strongFraction);
        const auto r = loadPatched(patch);
        QVERIFY2(r.scenario, qPrintable(errorText(r)));
        QCOMPARE(r.scenario->workloads[0].strongFraction, strongFraction);
    }

    // Each row patches the valid base scenario; the output must be exactly these lines.
    void errors_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("expected");
        // Top level
        QTest::addRow("format") << "{'format':'capsim-scenario/2'}"
                                << "format: must be 'capsim-scenario/1'";
        QTest::addRow("format missing") << "{'format':null}"
                                        << "format: is required";
        QTest::addRow("name missing") << "{'name':null}"
                                      << "name: is required";
        QTest::addRow("name empty") << "{'name':''}"
                                    << "name: must not be empty";
        QTest::addRow("name type") << "{'name':5}"
                                   << "name: must be a string";
        QTest::addRow("unknown top-level") << "{'descriptoin':'x'}"
                                           << "descriptoin: unknown field";
        QTest::addRow("duration missing") << "{'duration':null}"
                                          << "duration: is required";
        QTest::addRow("duration zero") << "{'duration':0}"
                                       << "duration: must be a duration > 0";
        QTest::addRow("duration unit")
            << "{'duration':'5w'}"
            << "duration: must be a duration: seconds, or a string '<number><unit>' with unit ms, s, m, h or d";
        QTest::addRow("duration type")
            << "{'duration':true}"
            << "duration: must be a duration: seconds, or a string '<number><unit>' with unit ms, s, m, h or d";
        QTest::addRow("seed negative") << "{'seed':-1}"
                                       << "seed: must be a number >= 0";
        QTest::addRow("seed fractional") << "{'seed':1.5}"
                                         << "seed: must be an integer";
        QTest::addRow("freeTier type") << "{'freeTier':'yes'}"
                                       << "freeTier: must be true or false";
        QTest::addRow("region empty") << "{'region':''}"
                                      << "region: must not be empty";
        QTest::addRow("pricing missing file") << "{'pricing':'nope/prices.json'}"
                                              << "pricing: no such file: '/nonexistent-base/nope/prices.json'";
        QTest::addRow("tables empty") << "{'tables':[]}"
                                      << "tables: must list at least one table\n"
                                         "workloads[0].table: no table named 'orders' in tables";
        QTest::addRow("workloads missing") << "{'workloads':null}"
                                           << "workloads: is required";
        QTest::addRow("events type") << "{'events':{}}"
                                     << "events: must be an array";
        // fidelity, client, model
        QTest::addRow("fidelity mode") << "{'fidelity':{'mode':'half'}}"
                                       << "fidelity.mode: must be 'auto', 'full', 'sampled' or 'fluid'";
        QTest::addRow("fidelity rate 0") << "{'fidelity':{'mode':'sampled','rate':0}}"
                                         << "fidelity.rate: must be a number > 0";
        QTest::addRow("fidelity rate > 1") << "{'fidelity':{'mode':'sampled','rate':1.5}}"
                                           << "fidelity.rate: must be a number <= 1";
        QTest::addRow("fidelity rate missing") << "{'fidelity':{'mode':'sampled'}}"
                                               << "fidelity.rate: is required";
        QTest::addRow("fidelity rate with full") << "{'fidelity':{'mode':'full','rate':0.5}}"
                                                 << "fidelity.rate: only allowed with mode 'sampled' or 'fluid'";
        QTest::addRow("fluid step not dividing a minute") << "{'fidelity':{'mode':'fluid','step':'7s'}}"
                                                          << "fidelity.step: must be a whole number of milliseconds dividing a minute (e.g. '1s', '250ms')";
        QTest::addRow("step with sampled") << "{'fidelity':{'mode':'sampled','rate':0.5,'step':'1s'}}"
                                           << "fidelity.step: only allowed with mode 'fluid'";
        QTest::addRow("client maxAttempts") << "{'client':{'maxAttempts':0}}"
                                            << "client.maxAttempts: must be a number >= 1";
        QTest::addRow("client baseDelay negative") << "{'client':{'baseDelay':-1}}"
                                                   << "client.baseDelay: must be a duration >= 0";
        QTest::addRow("client unknown") << "{'client':{'retries':3}}"
                                        << "client.retries: unknown field";
        QTest::addRow("model rule") << "{'model':{'partitionLimitRule':'quadratic'}}"
                                    << "model.partitionLimitRule: must be 'independent' or 'linear'";
        QTest::addRow("model partitionRead") << "{'model':{'partitionRead':0}}"
                                             << "model.partitionRead: must be a number > 0";
        QTest::addRow("model burstAtStart") << "{'model':{'burstAtStart':'half'}}"
                                            << "model.burstAtStart: must be 'full' or 'empty'";
        QTest::addRow("model size unit")
            << "{'model':{'partitionSize':'10XB'}}"
            << "model.partitionSize: must be a size: bytes, or a string '<number><unit>' with unit B, KB, MB or GB";
        QTest::addRow("model splitForHeat unknown") << "{'model':{'splitForHeat':{'enabled':true,'treshold':0.5}}}"
                                                    << "model.splitForHeat.treshold: unknown field";
        QTest::addRow("model latency")
            << "{'model':{'latency':{'read':'normal(4ms)'}}}"
            << "model.latency.read: must be 'lognormal(<median duration>,<sigma>)', e.g. 'lognormal(4ms,0.5)'";
        QTest::addRow("model autoScaling scaleOutDatapoints") << "{'model':{'autoScaling':{'scaleOutDatapoints':0}}}"
                                                              << "model.autoScaling.scaleOutDatapoints: must be a number >= 1";
        QTest::addRow("model autoScaling scaleInDatapoints fraction") << "{'model':{'autoScaling':{'scaleInDatapoints':1.5}}}"
                                                                      << "model.autoScaling.scaleInDatapoints: must be an integer";
        QTest::addRow("model autoScaling scaleInMarginPoints") << "{'model':{'autoScaling':{'scaleInMarginPoints':101}}}"
                                                               << "model.autoScaling.scaleInMarginPoints: must be a number <= 100";
        QTest::addRow("model autoScaling unknown") << "{'model':{'autoScaling':{'scaleOutMinutes':3}}}"
                                                   << "model.autoScaling.scaleOutMinutes: unknown field";
        QTest::addRow("model latency sigma") << "{'model':{'latency':{'write':'lognormal(4ms,-1)'}}}"
                                             << "model.latency.write: sigma must be a number >= 0";
        // tables
        QTest::addRow("table name short")
            << "{'tables':{'0':{'name':'ab'}}}"
            << "tables[0].name: must be 3 to 255 characters, each a letter, a digit, _, . or -\n"
               "workloads[0].table: no table named 'orders' in tables";
        QTest::addRow("invalid table name named by a workload")
            << "{'tables':{'0':{'name':'ab'}},'workloads':{'0':{'table':'ab'}}}"
            << "tables[0].name: must be 3 to 255 characters, each a letter, a digit, _, . or -";
        QTest::addRow("table name chars")
            << "{'tables':{'1':{'name':'my table','partitionKey':{'name':'k','type':'S'},"
               "'billingMode':'PAY_PER_REQUEST'}}}"
            << "tables[1].name: must be 3 to 255 characters, each a letter, a digit, _, . or -";
        QTest::addRow("table name duplicate")
            << "{'tables':{'1':{'name':'orders','partitionKey':{'name':'k','type':'S'},'billingMode':'PAY_PER_REQUEST'}}}"
            << "tables[1].name: duplicate table name 'orders'";
        QTest::addRow("partitionKey missing") << "{'tables':{'0':{'partitionKey':null}}}"
                                              << "tables[0].partitionKey: is required";
        QTest::addRow("partitionKey type") << "{'tables':{'0':{'partitionKey':{'type':'BOOL'}}}}"
                                           << "tables[0].partitionKey.type: must be 'S', 'N' or 'B'";
        QTest::addRow("sortKey name") << "{'tables':{'0':{'sortKey':{'type':'N'}}}}"
                                      << "tables[0].sortKey.name: is required";
        QTest::addRow("sortKey same as pk") << "{'tables':{'0':{'sortKey':{'name':'pk','type':'N'}}}}"
                                            << "tables[0].sortKey.name: must differ from the partition key name";
        QTest::addRow("billingMode missing") << "{'tables':{'0':{'billingMode':null}}}"
                                             << "tables[0].billingMode: is required";
        QTest::addRow("billingMode value") << "{'tables':{'0':{'billingMode':'ON_DEMAND'}}}"
                                           << "tables[0].billingMode: must be 'PROVISIONED' or 'PAY_PER_REQUEST'";
        QTest::addRow("tableClass") << "{'tables':{'0':{'tableClass':'IA'}}}"
                                    << "tables[0].tableClass: must be 'STANDARD' or 'STANDARD_INFREQUENT_ACCESS'";
        QTest::addRow("provisioned missing") << "{'tables':{'0':{'provisioned':null}}}"
                                             << "tables[0].provisioned: is required";
        QTest::addRow("provisioned read 0") << "{'tables':{'0':{'provisioned':{'read':0}}}}"
                                            << "tables[0].provisioned.read: must be a number >= 1";
        QTest::addRow("provisioned write too high") << "{'tables':{'0':{'provisioned':{'write':40001}}}}"
                                                    << "tables[0].provisioned.write: must be a number <= 40000";
        QTest::addRow("previous peak above the table quota (issue 8)")
            << "{'tables':{'0':{'billingMode':'PAY_PER_REQUEST','provisioned':null,"
               "'onDemand':{'previousPeak':{'write':40001}}}}}"
            << "tables[0].onDemand.previousPeak.write: must be a number <= 40000";
        QTest::addRow("provisioned fractional") << "{'tables':{'0':{'provisioned':{'read':1.5}}}}"
                                                << "tables[0].provisioned.read: must be an integer";
        QTest::addRow("provisioned string") << "{'tables':{'0':{'provisioned':{'read':'100'}}}}"
                                            << "tables[0].provisioned.read: must be an integer";
        QTest::addRow("provisioned write missing") << "{'tables':{'0':{'provisioned':{'write':null}}}}"
                                                   << "tables[0].provisioned.write: is required";
        QTest::addRow("provisioned with on-demand")
            << "{'tables':{'0':{'billingMode':'PAY_PER_REQUEST'}}}"
            << "tables[0].provisioned: not allowed with billingMode PAY_PER_REQUEST";
        QTest::addRow("autoScaling target")
            << "{'tables':{'0':{'autoScaling':{'read':{'min':1,'max':10,'target':95}}}}}"
            << "tables[0].autoScaling.read.target: must be a number <= 90";
        QTest::addRow("autoScaling target low")
            << "{'tables':{'0':{'autoScaling':{'write':{'min':1,'max':10,'target':10}}}}}"
            << "tables[0].autoScaling.write.target: must be a number >= 20";
        QTest::addRow("autoScaling min > max")
            << "{'tables':{'0':{'autoScaling':{'read':{'min':100,'max':10,'target':70}}}}}"
            << "tables[0].autoScaling.read.min: must be <= max (10)";
        QTest::addRow("autoScaling max")
            << "{'tables':{'0':{'autoScaling':{'read':{'min':1,'max':50000,'target':70}}}}}"
            << "tables[0].autoScaling.read.max: must be a number <= 40000";
        QTest::addRow("autoScaling missing target") << "{'tables':{'0':{'autoScaling':{'read':{'min':1,'max':5}}}}}"
                                                    << "tables[0].autoScaling.read.target: is required";
        QTest::addRow("autoScaling unknown") << "{'tables':{'0':{'autoScaling':{'reads':{}}}}}"
                                             << "tables[0].autoScaling.reads: unknown field";
        QTest::addRow("autoScaling on-demand") << "{'tables':{'0':{'billingMode':'PAY_PER_REQUEST','provisioned':null,"
                                                  "'autoScaling':{'read':{'min':1,'max':10,'target':70}}}}}"
                                               << "tables[0].autoScaling: only allowed with billingMode PROVISIONED";
        QTest::addRow("onDemand provisioned") << "{'tables':{'0':{'onDemand':{'maxRead':5}}}}"
                                              << "tables[0].onDemand: only allowed with billingMode PAY_PER_REQUEST";
        QTest::addRow("onDemand peak") << "{'tables':{'0':{'billingMode':'PAY_PER_REQUEST','provisioned':null,"
                                          "'onDemand':{'previousPeak':{'read':0,'writes':1}}}}}"
                                       << "tables[0].onDemand.previousPeak.read: must be a number >= 1\n"
                                          "tables[0].onDemand.previousPeak.writes: unknown field";
        QTest::addRow("initialData items") << "{'tables':{'0':{'initialData':{'items':-1}}}}"
                                           << "tables[0].initialData.items: must be a number >= 0";
        QTest::addRow("initialData no sort key") << "{'tables':{'0':{'initialData':{'items':10,'sortKeysPerKey':2}}}}"
                                                 << "tables[0].initialData.sortKeysPerKey: the table has no sort key";
        QTest::addRow("initialData itemSize")
            << "{'tables':{'0':{'initialData':{'items':10,'itemSize':{'type':'fixed','size':'401KB'}}}}}"
            << "tables[0].initialData.itemSize.size: must be a size <= 409600 bytes";
        QTest::addRow("table unknown field") << "{'tables':{'0':{'provisionedThroughput':{}}}}"
                                             << "tables[0].provisionedThroughput: unknown field";
        // workloads
        QTest::addRow("workload unknown field")
            << "{'workloads':{'0':{'rate':null,'rat':{'type':'constant','rate':1}}}}"
            << "workloads[0].rate: is required\nworkloads[0].rat: unknown field";
        QTest::addRow("workload table missing") << "{'workloads':{'0':{'table':null}}}"
                                                << "workloads[0].table: is required";
        QTest::addRow("workload table unknown") << "{'workloads':{'0':{'table':'order'}}}"
                                                << "workloads[0].table: no table named 'order' in tables";
        QTest::addRow("workload name duplicate")
            << "{'workloads':{'0':{'name':'w'},'1':{'name':'w','table':'orders','rate':{'type':'constant','rate':1},"
               "'operations':{'GetItem':1}}}}"
            << "workloads[1].name: duplicate workload name 'w'";
        QTest::addRow("workload default name collides")
            << "{'workloads':{'1':{'name':'workload0','table':'orders','rate':{'type':'constant','rate':1},"
               "'operations':{'GetItem':1}}}}"
            << "workloads[1].name: duplicate workload name 'workload0'";
        QTest::addRow("operations sum")
            << "{'workloads':{'0':{'operations':{'GetItem':0.6,'PutItem':0.3}}}}"
            << "workloads[0].operations: fractions must sum to 1 (they sum to 0.8999999999999999)";
        QTest::addRow("operations sum within 1e-9")
            << "{'workloads':{'0':{'operations':{'GetItem':0.1,'PutItem':0.2,'Query':0.7000000001}}}}"
            << "";
        QTest::addRow("operations unknown")
            << "{'workloads':{'0':{'operations':{'GetItems':1}}}}"
            << "workloads[0].operations.GetItems: unknown operation (expected GetItem, PutItem, UpdateItem, "
               "DeleteItem, Query, Scan, BatchGetItem, BatchWriteItem, TransactGetItems or TransactWriteItems)";
        QTest::addRow("operations fraction") << "{'workloads':{'0':{'operations':{'GetItem':1.5}}}}"
                                             << "workloads[0].operations.GetItem: must be a number <= 1";
        QTest::addRow("operations empty") << "{'workloads':{'0':{'operations':{'GetItem':null}}}}"
                                          << "workloads[0].operations: must name at least one operation";
        QTest::addRow("batchSize writes")
            << "{'workloads':{'0':{'operations':{'GetItem':null,'BatchWriteItem':0.5,'BatchGetItem':0.5},'batchSize':30}}}"
            << "workloads[0].batchSize: must be a number <= 25 (items per batch or transaction call: at most 25 for "
               "BatchWriteItem, 100 for BatchGetItem and transactions; default 25, 100 and 2)";
        QTest::addRow("batchSize reads")
            << "{'workloads':{'0':{'operations':{'GetItem':null,'BatchGetItem':1},'batchSize':101}}}"
            << "workloads[0].batchSize: must be a number <= 100 (items per batch or transaction call: at most 25 for "
               "BatchWriteItem, 100 for BatchGetItem and transactions; default 25, 100 and 2)";
        QTest::addRow("batchSize reads ok")
            << "{'workloads':{'0':{'operations':{'GetItem':null,'BatchGetItem':1},'batchSize':100}}}"
            << "";
        QTest::addRow("batchSize zero") << "{'workloads':{'0':{'batchSize':0}}}"
                                        << "workloads[0].batchSize: must be a number >= 1";
        QTest::addRow("consistency value")
            << "{'workloads':{'0':{'consistency':'strongest'}}}"
            << "workloads[0].consistency: must be 'eventual', 'strong' or {'strong': <fraction>}";
        QTest::addRow("consistency fraction") << "{'workloads':{'0':{'consistency':{'strong':1.5}}}}"
                                              << "workloads[0].consistency.strong: must be a number <= 1";
        QTest::addRow("keys type") << "{'workloads':{'0':{'keys':{'type':'gauss','cardinality':5}}}}"
                                   << "workloads[0].keys.type: must be 'uniform', 'zipf', 'hotkey' or 'sequential'";
        QTest::addRow("keys cardinality") << "{'workloads':{'0':{'keys':{'type':'uniform','cardinality':0}}}}"
                                          << "workloads[0].keys.cardinality: must be a number >= 1";
        QTest::addRow("keys cardinality missing") << "{'workloads':{'0':{'keys':{'type':'uniform'}}}}"
                                                  << "workloads[0].keys.cardinality: is required";
        QTest::addRow("zipf exponent missing") << "{'workloads':{'0':{'keys':{'type':'zipf','cardinality':5}}}}"
                                               << "workloads[0].keys.exponent: is required";
        QTest::addRow("zipf exponent 0") << "{'workloads':{'0':{'keys':{'type':'zipf','cardinality':5,'exponent':0}}}}"
                                         << "workloads[0].keys.exponent: must be a number > 0";
        QTest::addRow("exponent on uniform")
            << "{'workloads':{'0':{'keys':{'type':'uniform','cardinality':5,'exponent':1}}}}"
            << "workloads[0].keys.exponent: unknown field";
        QTest::addRow("hotKeys > cardinality")
            << "{'workloads':{'0':{'keys':{'type':'hotkey','cardinality':5,'hotKeys':6,'hotShare':0.5}}}}"
            << "workloads[0].keys.hotKeys: must be <= cardinality (5)";
        QTest::addRow("hotShare")
            << "{'workloads':{'0':{'keys':{'type':'hotkey','cardinality':5,'hotKeys':1,'hotShare':2}}}}"
            << "workloads[0].keys.hotShare: must be a number <= 1";
        QTest::addRow("keys sortKeysPerKey without sort key")
            << "{'workloads':{'0':{'keys':{'type':'uniform','cardinality':5,'sortKeysPerKey':3}}}}"
            << "workloads[0].keys.sortKeysPerKey: table 'orders' has no sort key";
        QTest::addRow("itemSize min > max")
            << "{'workloads':{'0':{'itemSize':{'type':'uniform','min':'2KB','max':1000}}}}"
            << "workloads[0].itemSize.max: must be >= min (2048)";
        QTest::addRow("itemSize too big") << "{'workloads':{'0':{'itemSize':{'type':'fixed','size':'500KB'}}}}"
                                          << "workloads[0].itemSize.size: must be a size <= 409600 bytes";
        QTest::addRow("itemSize zero") << "{'workloads':{'0':{'itemSize':{'type':'fixed','size':0}}}}"
                                       << "workloads[0].itemSize.size: must be a size >= 1 bytes";
        QTest::addRow("itemSize lognormal")
            << "{'workloads':{'0':{'itemSize':{'type':'lognormal','median':0,'sigma':-1}}}}"
            << "workloads[0].itemSize.median: must be a size > 0 bytes\n"
               "workloads[0].itemSize.sigma: must be a number >= 0";
        QTest::addRow("itemSize type") << "{'workloads':{'0':{'itemSize':{'type':'normal'}}}}"
                                       << "workloads[0].itemSize.type: must be 'fixed', 'uniform' or 'lognormal'";
        QTest::addRow("queryItems size instead of count")
            << "{'workloads':{'0':{'queryItems':{'type':'fixed','size':5}}}}"
            << "workloads[0].queryItems.count: is required\nworkloads[0].queryItems.size: unknown field";
        QTest::addRow("queryItems count") << "{'workloads':{'0':{'queryItems':{'type':'fixed','count':0}}}}"
                                          << "workloads[0].queryItems.count: must be a number >= 1";
        QTest::addRow("attribute is key")
            << "{'workloads':{'0':{'attributes':{'pk':{'type':'uniform','cardinality':2}}}}}"
            << "workloads[0].attributes.pk: is a key attribute of table 'orders'";
        QTest::addRow("attribute p")
            << "{'workloads':{'0':{'attributes':{'p':{'type':'uniform','cardinality':2}}}}}"
            << "workloads[0].attributes.p: 'p' is the payload attribute and cannot be set here";
        QTest::addRow("attribute choice empty")
            << "{'workloads':{'0':{'attributes':{'a':{'type':'choice','values':[]}}}}}"
            << "workloads[0].attributes.a.values: must list at least one value";
        QTest::addRow("attribute weights")
            << "{'workloads':{'0':{'attributes':{'a':{'type':'choice','values':['x','y'],'weights':[1]}}}}}"
            << "workloads[0].attributes.a.weights: must have one weight per value (2 values, 1 weights)";
        QTest::addRow("attribute value null")
            << "{'workloads':{'0':{'attributes':{'a':{'type':'choice','values':['x',[1]]}}}}}"
            << "workloads[0].attributes.a.values[1]: must be a string, number, boolean or DynamoDB JSON value like "
               "{'S':'x'}";
        QTest::addRow("attribute cardinality")
            << "{'workloads':{'0':{'attributes':{'a':{'type':'uniform','cardinality':0}}}}}"
            << "workloads[0].attributes.a.cardinality: must be a number >= 1";
        QTest::addRow("attribute type") << "{'workloads':{'0':{'attributes':{'a':{'type':'zipf'}}}}}"
                                        << "workloads[0].attributes.a.type: must be 'choice' or 'uniform'";
        QTest::addRow("updateAttributes unknown")
            << "{'workloads':{'0':{'attributes':{'a':{'type':'uniform','cardinality':2}},'updateAttributes':['a','b']}}}"
            << "workloads[0].updateAttributes[1]: 'b' is not one of the workload attributes";
        // rate patterns
        QTest::addRow("rate negative") << "{'workloads':{'0':{'rate':{'rate':-1}}}}"
                                       << "workloads[0].rate.rate: must be a number >= 0";
        QTest::addRow("rate type") << "{'workloads':{'0':{'rate':{'type':'square'}}}}"
                                   << "workloads[0].rate.type: must be 'constant', 'step', 'ramp', 'spike', "
                                      "'diurnal', 'trace' or 'sum'";
        QTest::addRow("rate arrivals") << "{'workloads':{'0':{'rate':{'arrivals':'burst'}}}}"
                                       << "workloads[0].rate.arrivals: must be 'poisson' or 'uniform'";
        QTest::addRow("rate field of other type") << "{'workloads':{'0':{'rate':{'from':1}}}}"
                                                  << "workloads[0].rate.from: unknown field";
        QTest::addRow("step missing") << "{'workloads':{'0':{'rate':{'type':'step','rate':null,'from':1,'to':2}}}}"
                                      << "workloads[0].rate.at: is required";
        QTest::addRow("diurnal amplitude")
            << "{'workloads':{'0':{'rate':{'type':'diurnal','rate':null,'mean':1,'amplitude':1.5,'peakAt':'12h'}}}}"
            << "workloads[0].rate.amplitude: must be a number <= 1";
        QTest::addRow("diurnal period") << "{'workloads':{'0':{'rate':{'type':'diurnal','rate':null,'mean':1,"
                                           "'amplitude':0.5,'peakAt':'12h','period':0}}}}"
                                        << "workloads[0].rate.period: must be a duration > 0";
        QTest::addRow("sum empty") << "{'workloads':{'0':{'rate':{'type':'sum','rate':null,'of':[]}}}}"
                                   << "workloads[0].rate.of: must list at least one pattern";
        QTest::addRow("sum nested")
            << "{'workloads':{'0':{'rate':{'type':'sum','rate':null,'of':[{'type':'constant','rate':1},"
               "{'type':'sum','of':[{'type':'spike','base':1,'peak':-2,'at':0,'duration':'1m'}]}]}}}}"
            << "workloads[0].rate.of[1].of[0].peak: must be a number >= 0";
        // events
        QTest::addRow("event at beyond duration")
            << "{'events':[{'at':'2h','action':'updateTable','table':'orders','tableClass':'STANDARD'}]}"
            << "events[0].at: must be within the scenario duration";
        QTest::addRow("event at at duration")
            << "{'events':[{'at':'1h','action':'updateTable','table':'orders','tableClass':'STANDARD'}]}"
            << "";
        QTest::addRow("event at missing")
            << "{'events':[{'action':'updateTable','table':'orders','tableClass':'STANDARD'}]}"
            << "events[0].at: is required";
        QTest::addRow("event table")
            << "{'events':[{'at':0,'action':'updateTable','table':'nope','tableClass':'STANDARD'}]}"
            << "events[0].table: no table named 'nope' in tables";
        QTest::addRow("event action")
            << "{'events':[{'at':0,'action':'dropTable'}]}"
            << "events[0].action: must be 'updateTable', 'setAutoScaling', 'setWorkloadRate', "
               "'regionOutage', 'createIndex', 'deleteIndex', 'updateTimeToLive', 'createBackup', 'restoreTable', "
               "'exportTable' or 'importTable'";
        QTest::addRow("updateTable nothing")
            << "{'events':[{'at':0,'action':'updateTable','table':'orders'}]}"
            << "events[0]: updateTable must set provisioned, billingMode or tableClass";
        QTest::addRow("updateTable provisioned")
            << "{'events':[{'at':0,'action':'updateTable','table':'orders','provisioned':{'read':0}}]}"
            << "events[0].provisioned.read: must be a number >= 1";
        QTest::addRow("updateTable on-demand with provisioned")
            << "{'events':[{'at':0,'action':'updateTable','table':'orders','billingMode':'PAY_PER_REQUEST',"
               "'provisioned':{'read':5}}]}"
            << "events[0].provisioned: not allowed with billingMode PAY_PER_REQUEST";
        QTest::addRow("setAutoScaling") << "{'events':[{'at':0,'action':'setAutoScaling','table':'orders',"
                                           "'autoScaling':{'read':{'min':1,'max':2,'target':99}}}]}"
                                        << "events[0].autoScaling.read.target: must be a number <= 90";
        QTest::addRow("setWorkloadRate unknown workload")
            << "{'events':[{'at':0,'action':'setWorkloadRate','workload':'w','rate':{'type':'constant','rate':1}}]}"
            << "events[0].workload: no workload named 'w'";
        QTest::addRow("setWorkloadRate rate")
            << "{'events':[{'at':0,'action':'setWorkloadRate','workload':'workload0','rate':{'type':'constant'}}]}"
            << "events[0].rate.rate: is required";
        QTest::addRow("event unknown field")
            << "{'events':[{'at':0,'action':'setWorkloadRate','workload':'workload0','rate':{'type':'constant','rate':1},"
               "'table':'orders'}]}"
            << "events[0].table: unknown field";
        QTest::addRow("x- keys ignored") << "{'x-editor':{'any':1},'tables':{'0':{'x-note':[1]}},"
                                            "'workloads':{'0':{'rate':{'x-why':'a'},'operations':{'x-c':5}}}}"
                                         << "";
    }
    void errors()
    {
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        const auto r = loadPatched(patch, "/nonexistent-base");
        QString want = QString::fromStdString(J(expected.toStdString()));
        if (!want.isEmpty())
            want += '\n';
        QCOMPARE(errorText(r), want);
        QCOMPARE(r.scenario.has_value(), want.isEmpty());
    }

    // DAX (reference A10; scenario-format.md tables[].dax, workloads[].dax, model.dax*): a good row
    // and bad rows, each error naming its field.
    void dax_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("expected");
        QTest::addRow("full cluster") << "{'tables':{'0':{'dax':{'nodeType':'dax.t3.small','nodes':1,'itemTtl':0,'queryTtl':'10m'}}}}"
                                      << "";
        QTest::addRow("defaults") << "{'tables':{'0':{'dax':{}}}}" << "";
        QTest::addRow("largest r5") << "{'tables':{'0':{'dax':{'nodeType':'dax.r5.24xlarge','nodes':11}}}}" << "";
        QTest::addRow("t2") << "{'tables':{'0':{'dax':{'nodeType':'dax.t2.medium'}}}}" << "";
        QTest::addRow("node type")
            << "{'tables':{'0':{'dax':{'nodeType':'dax.m5.large'}}}}"
            << "tables[0].dax.nodeType: must be a DAX node type: dax.t2.small, dax.t2.medium, dax.t3.small, dax.t3.medium, "
               "dax.r5.large, dax.r5.xlarge, dax.r5.2xlarge, dax.r5.4xlarge, dax.r5.8xlarge, dax.r5.12xlarge, "
               "dax.r5.16xlarge, dax.r5.24xlarge";
        QTest::addRow("no nodes") << "{'tables':{'0':{'dax':{'nodes':0}}}}" << "tables[0].dax.nodes: must be a number >= 1";
        QTest::addRow("12 nodes") << "{'tables':{'0':{'dax':{'nodes':12}}}}" << "tables[0].dax.nodes: must be a number <= 11";
        QTest::addRow("itemTtl") << "{'tables':{'0':{'dax':{'itemTtl':-1}}}}" << "tables[0].dax.itemTtl: must be a duration >= 0";
        QTest::addRow("queryTtl") << "{'tables':{'0':{'dax':{'queryTtl':'soon'}}}}"
                                  << "tables[0].dax.queryTtl: must be a duration: seconds, or a string '<number><unit>' "
                                     "with unit ms, s, m, h or d";
        QTest::addRow("unknown field") << "{'tables':{'0':{'dax':{'ttl':'5m'}}}}" << "tables[0].dax.ttl: unknown field";
        QTest::addRow("not an object") << "{'tables':{'0':{'dax':true}}}" << "tables[0].dax: must be an object";
        QTest::addRow("workload off") << "{'tables':{'0':{'dax':{}}},'workloads':{'0':{'dax':false}}}" << "";
        QTest::addRow("workload off without cluster") << "{'workloads':{'0':{'dax':false}}}" << "";
        QTest::addRow("workload on without cluster")
            << "{'workloads':{'0':{'dax':true}}}" << "workloads[0].dax: table 'orders' has no DAX cluster (tables[].dax)";
        QTest::addRow("workload dax type") << "{'tables':{'0':{'dax':{}}},'workloads':{'0':{'dax':'yes'}}}"
                                           << "workloads[0].dax: must be true or false";
        QTest::addRow("import target")
            << "{'events':[{'at':'5m','action':'importTable','source':'.','format':'ION','target':{'name':'imported',"
               "'partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST','dax':{}}}]}"
            << "events[0].target.dax: not allowed on an importTable target (DAX fronts tables of tables[] only)";
        QTest::addRow("model") << "{'model':{'daxCacheBytes':'64MB','daxNodeOpsPerSec':5000,'daxLatency':'lognormal(1ms,0.2)'}}"
                               << "";
        QTest::addRow("model cache bytes") << "{'model':{'daxCacheBytes':-1}}" << "model.daxCacheBytes: must be a size >= 0 bytes";
        QTest::addRow("model ops") << "{'model':{'daxNodeOpsPerSec':'fast'}}" << "model.daxNodeOpsPerSec: must be a number";
        QTest::addRow("model latency")
            << "{'model':{'daxLatency':'normal(1ms)'}}"
            << "model.daxLatency: must be 'lognormal(<median duration>,<sigma>)', e.g. 'lognormal(4ms,0.5)'";
    }
    void dax()
    {
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        const auto r = loadPatched(patch);
        QString want = QString::fromStdString(J(expected.toStdString()));
        if (!want.isEmpty())
            want += '\n';
        QCOMPARE(errorText(r), want);
        QCOMPARE(r.scenario.has_value(), want.isEmpty());
    }
    void daxValues()
    {
        const auto r = loadPatched("{'tables':{'0':{'dax':{'nodeType':'dax.t3.medium','nodes':2,'itemTtl':0,'queryTtl':'90s'}}},"
                                   "'workloads':{'0':{'dax':false}},"
                                   "'model':{'daxCacheBytes':'1MB','daxNodeOpsPerSec':2500,'daxLatency':'lognormal(2ms,0.1)'}}");
        QVERIFY2(r.scenario, qPrintable(errorText(r)));
        const auto& dax = r.scenario->tables[0].dax;
        QVERIFY(dax);
        QCOMPARE(dax->nodeType, std::string("dax.t3.medium"));
        QCOMPARE(dax->nodes, std::int64_t(2));
        QCOMPARE(dax->itemTtl, SimTime(0));
        QCOMPARE(dax->queryTtl, 90 * kSimSecond);
        QCOMPARE(r.scenario->workloads[0].dax, false);
        QCOMPARE(r.scenario->model.daxCacheBytes, std::int64_t(1024 * 1024));
        QCOMPARE(r.scenario->model.daxNodeOpsPerSec, 2500.0);
        QCOMPARE(r.scenario->model.daxLatencyMedian, SimTime(2000));
        QCOMPARE(r.scenario->model.daxLatencySigma, 0.1);
        // Defaults (scenario-format.md): dax.r5.large x 3, both TTLs 5 minutes; workloads go through it.
        const auto d = loadPatched("{'tables':{'0':{'dax':{}}}}");
        QVERIFY2(d.scenario, qPrintable(errorText(d)));
        QCOMPARE(d.scenario->tables[0].dax->nodeType, std::string("dax.r5.large"));
        QCOMPARE(d.scenario->tables[0].dax->nodes, std::int64_t(3));
        QCOMPARE(d.scenario->tables[0].dax->itemTtl, 5 * kSimMinute);
        QCOMPARE(d.scenario->tables[0].dax->queryTtl, 5 * kSimMinute);
        QCOMPARE(d.scenario->workloads[0].dax, true);
        QCOMPARE(d.scenario->model.daxCacheBytes, std::int64_t(0));
        QCOMPARE(d.scenario->model.daxLatencyMedian, SimTime(300));
    }

    // Global tables (reference A11; scenario-format.md tables[].replicas, workloads[].region,
    // regionOutage, model.replication*): a good row and bad rows for each rule.
    void globalTables_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("expected");
        const QString onDemand = "'billingMode':'PAY_PER_REQUEST','provisioned':null";
        const QString scaled = "'autoScaling':{'write':{'min':50,'max':500,'target':70}}";
        QTest::addRow("on-demand replicas") << "{'tables':{'0':{" + onDemand + ",'replicas':['us-west-2','eu-west-1']}}}" << "";
        QTest::addRow("provisioned with write auto scaling")
            << "{'tables':{'0':{'replicas':['us-west-2']," + scaled + "}}}" << "";
        // DynamoDB: "Table write capacity should either be Pay-Per-Request or AutoScaled".
        QTest::addRow("provisioned without auto scaling")
            << "{'tables':{'0':{'replicas':['us-west-2']}}}"
            << "tables[0].autoScaling.write: is required for a PROVISIONED table with replicas (Table write capacity "
               "should either be Pay-Per-Request or AutoScaled)";
        QTest::addRow("provisioned with read auto scaling only")
            << "{'tables':{'0':{'replicas':['us-west-2'],'autoScaling':{'read':{'min':5,'max':50,'target':70}}}}}"
            << "tables[0].autoScaling.write: is required for a PROVISIONED table with replicas (Table write capacity "
               "should either be Pay-Per-Request or AutoScaled)";
        QTest::addRow("own region") << "{'tables':{'0':{" + onDemand + ",'replicas':['us-east-1']}}}"
                                    << "tables[0].replicas[0]: 'us-east-1' is the region of the scenario, where the table "
                                       "itself is (Cannot add or delete the local region through ReplicaUpdates)";
        QTest::addRow("own region when the scenario is elsewhere")
            << "{'region':'eu-west-1','tables':{'0':{" + onDemand + ",'replicas':['us-east-1','eu-west-1']}}}"
            << "tables[0].replicas[1]: 'eu-west-1' is the region of the scenario, where the table itself is (Cannot add or "
               "delete the local region through ReplicaUpdates)";
        QTest::addRow("duplicate") << "{'tables':{'0':{" + onDemand + ",'replicas':['us-west-2','us-west-2']}}}"
                                   << "tables[0].replicas[1]: duplicate region 'us-west-2'";
        QTest::addRow("not a region") << "{'tables':{'0':{" + onDemand + ",'replicas':['US-West-2','uswest2','us-west','us-gov-west-1']}}}"
                                      << "tables[0].replicas[0]: must be an AWS region name such as \"us-west-2\" (got 'US-West-2')\n"
                                         "tables[0].replicas[1]: must be an AWS region name such as \"us-west-2\" (got 'uswest2')\n"
                                         "tables[0].replicas[2]: must be an AWS region name such as \"us-west-2\" (got 'us-west')";
        QTest::addRow("not a string") << "{'tables':{'0':{" + onDemand + ",'replicas':[5]}}}"
                                      << "tables[0].replicas[0]: must be a string";
        QTest::addRow("not an array") << "{'tables':{'0':{" + onDemand + ",'replicas':'us-west-2'}}}"
                                      << "tables[0].replicas: must be an array";
        // workloads[].region: the scenario's region or one of the table's replicas.
        QTest::addRow("workload in a replica region")
            << "{'tables':{'0':{" + onDemand + ",'replicas':['us-west-2']}},'workloads':{'0':{'region':'us-west-2'}}}" << "";
        QTest::addRow("workload in the scenario region") << "{'workloads':{'0':{'region':'us-east-1'}}}" << "";
        QTest::addRow("workload in a region without a replica")
            << "{'tables':{'0':{" + onDemand + ",'replicas':['us-west-2']}},'workloads':{'0':{'region':'eu-west-1'}}}"
            << "workloads[0].region: table 'orders' has no replica in 'eu-west-1' (its regions: us-east-1, us-west-2)";
        QTest::addRow("workload region type") << "{'workloads':{'0':{'region':1}}}" << "workloads[0].region: must be a string";
        // regionOutage {region, duration}
        const QString global = "'tables':{'0':{" + onDemand + ",'replicas':['us-west-2']}},";
        QTest::addRow("outage of a replica region")
            << "{" + global + "'events':[{'at':'10m','action':'regionOutage','region':'us-west-2','duration':'10m'}]}" << "";
        QTest::addRow("outage of the scenario region")
            << "{" + global + "'events':[{'at':'10m','action':'regionOutage','region':'us-east-1','duration':600}]}" << "";
        QTest::addRow("outage of a region without a replica")
            << "{" + global + "'events':[{'at':'10m','action':'regionOutage','region':'eu-west-1','duration':'10m'}]}"
            << "events[0].region: no table has a replica in 'eu-west-1' (regions with replicas: us-east-1, us-west-2)";
        QTest::addRow("outage duration zero")
            << "{" + global + "'events':[{'at':'10m','action':'regionOutage','region':'us-west-2','duration':0}]}"
            << "events[0].duration: must be a duration > 0";
        QTest::addRow("outage unknown field")
            << "{" + global + "'events':[{'at':'10m','action':'regionOutage','region':'us-west-2','duration':60,'table':'orders'}]}"
            << "events[0].table: unknown field";
        QTest::addRow("overlapping outages")
            << "{" + global + "'events':[{'at':'10m','action':'regionOutage','region':'us-west-2','duration':'10m'},"
                              "{'at':'15m','action':'regionOutage','region':'us-west-2','duration':'10m'},"
                              "{'at':'20m','action':'regionOutage','region':'us-east-1','duration':'10m'}]}"
            << "events[1].at: overlaps the outage of 'us-west-2' in events[0]";
        QTest::addRow("events changing every replica")
            << "{" + global + "'events':[{'at':'10m','action':'updateTable','table':'orders','tableClass':'STANDARD_INFREQUENT_ACCESS'}]}"
            << "events[0].action: not supported yet (updateTable on table 'orders', which has replicas: capsim does not "
               "yet apply it to every replica)";
        // model.replication*
        QTest::addRow("model replication")
            << "{'model':{'replicationLatency':'lognormal(2s,0.5)','replicationCatchUpRate':2500,"
               "'replicaCreateMinSeconds':45,'replicaDeleteSeconds':'3m'}}"
            << "";
        QTest::addRow("model replicationLatency shape")
            << "{'model':{'replicationLatency':'1s'}}"
            << "model.replicationLatency: must be \"lognormal(<median duration>,<sigma>)\", e.g. \"lognormal(4ms,0.5)\"";
        QTest::addRow("model replicationCatchUpRate zero") << "{'model':{'replicationCatchUpRate':0}}"
                                                           << "model.replicationCatchUpRate: must be a number > 0";
        QTest::addRow("model replicaDeleteSeconds") << "{'model':{'replicaDeleteSeconds':'soon'}}"
                                                    << "model.replicaDeleteSeconds: must be a duration: seconds, or a "
                                                       "string '<number><unit>' with unit ms, s, m, h or d";
    }
    void globalTables()
    {
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        const auto r = loadPatched(patch);
        QString want = QString::fromStdString(J(expected.toStdString()));
        if (!want.isEmpty())
            want += '\n';
        QCOMPARE(errorText(r), want);
        QCOMPARE(r.scenario.has_value(), want.isEmpty());
    }
    void globalTableValues()
    {
        const auto r = loadPatched("{'tables':{'0':{'billingMode':'PAY_PER_REQUEST','provisioned':null,"
                                   "'replicas':['us-west-2','eu-west-1']}},'workloads':{'0':{'region':'eu-west-1'}},"
                                   "'model':{'replicationLatency':'lognormal(2s,0.5)','replicationCatchUpRate':2500,"
                                   "'replicaCreateMinSeconds':45,'replicaDeleteSeconds':'3m'},"
                                   "'events':[{'at':'10m','action':'regionOutage','region':'us-west-2','duration':'5m'}]}");
        QVERIFY2(r.scenario, qPrintable(errorText(r)));
        const Scenario& s = *r.scenario;
        QCOMPARE(s.tables[0].replicas, (std::vector<std::string> { "us-west-2", "eu-west-1" }));
        QCOMPARE(s.workloads[0].region, std::string("eu-west-1"));
        QCOMPARE(s.model.replicationLatencyMedian, 2 * kSimSecond);
        QCOMPARE(s.model.replicationLatencySigma, 0.5);
        QCOMPARE(s.model.replicationCatchUpRate, 2500.0);
        QCOMPARE(s.model.replicaCreateMinSeconds, 45 * kSimSecond);
        QCOMPARE(s.model.replicaDeleteSeconds, 180 * kSimSecond);
        QCOMPARE(s.events[0].action, EventSpec::Action::RegionOutage);
        QCOMPARE(s.events[0].region, std::string("us-west-2"));
        QCOMPARE(s.events[0].at, 600 * kSimSecond);
        QCOMPARE(s.events[0].duration, 300 * kSimSecond);
        // Defaults (reference A11): lognormal(1 s, 0.4), 5,000 changes/s, 30 s, 120 s.
        const auto d = loadPatched("");
        QCOMPARE(d.scenario->model.replicationLatencyMedian, kSimSecond);
        QCOMPARE(d.scenario->model.replicationLatencySigma, 0.4);
        QCOMPARE(d.scenario->model.replicationCatchUpRate, 5000.0);
        QCOMPARE(d.scenario->model.replicaCreateMinSeconds, 30 * kSimSecond);
        QCOMPARE(d.scenario->model.replicaDeleteSeconds, 120 * kSimSecond);
    }

    void reserved_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("expected");
        QTest::addRow("ttl") << "{'tables':{'0':{'ttl':{'attribute':'ExpTime'}}}}" << "";
        QTest::addRow("streams") << "{'tables':{'0':{'streams':{'viewType':'NEW_IMAGE'}}}}" << "";
        QTest::addRow("pitr") << "{'tables':{'0':{'pitr':true}}}" << "";
        QTest::addRow("dax") << "{'tables':{'0':{'dax':{'nodes':3}}}}" << "";
        QTest::addRow("replicas") << "{'tables':{'0':{'replicas':['eu-west-1'],"
                                     "'autoScaling':{'write':{'min':50,'max':500,'target':70}}}}}"
                                  << "";
        QTest::addRow("ttlSeconds")
            << "{'tables':{'0':{'ttl':{'attribute':'ExpTime'}}},'workloads':{'0':{'operations':{'GetItem':null,'PutItem':1},"
               "'ttlSeconds':{'type':'fixed','duration':'1h'}}}}"
            << "";
        // Transactions are supported: batchSize gives the items per transaction (default 2, at most 100).
        QTest::addRow("TransactGetItems") << "{'workloads':{'0':{'operations':{'GetItem':0.5,'TransactGetItems':0.5}}}}"
                                          << "";
        QTest::addRow("TransactWriteItems")
            << "{'workloads':{'0':{'operations':{'GetItem':null,'TransactWriteItems':1},'batchSize':100}}}" << "";
        QTest::addRow("TransactWriteItems batchSize 101")
            << "{'workloads':{'0':{'operations':{'GetItem':null,'TransactWriteItems':1},'batchSize':101}}}"
            << "workloads[0].batchSize: must be a number <= 100 (items per batch or transaction call: at most 25 for "
               "BatchWriteItem, 100 for BatchGetItem and transactions; default 25, 100 and 2)";
        QTest::addRow("regionOutage")
            << "{'events':[{'at':0,'action':'regionOutage','region':'us-east-1','duration':'1h'}]}"
            << "events[0].region: no table has replicas (a regionOutage needs a global table: tables[].replicas)";
        QTest::addRow("empty and false are absent")
            << "{'tables':{'0':{'globalSecondaryIndexes':[],'localSecondaryIndexes':[],'pitr':false,'replicas':[]}}}"
            << "";
    }
    void reserved()
    {
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        const auto r = loadPatched(patch);
        QString want = QString::fromStdString(J(expected.toStdString()));
        if (!want.isEmpty())
            want += '\n';
        QCOMPARE(errorText(r), want);
        QCOMPARE(r.scenario.has_value(), want.isEmpty());
    }

    // Every lifecycle field and event of the format (tables[].ttl, streams, pitr; workloads[].ttlSeconds;
    // updateTimeToLive, createBackup, restoreTable, exportTable, importTable): a good row and bad rows.
    void lifecycle_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("expected");
        const QString copies = "'1':{'name':'copies','partitionKey':{'name':'pk','type':'S'},'billingMode':'PAY_PER_REQUEST'}";
        const QString pitr = "'tables':{'0':{'pitr':true}}";
        const QString writer = "'workloads':{'0':{'operations':{'GetItem':null,'PutItem':1},";
        // pitr
        QTest::addRow("pitr true") << "{" + pitr + "}" << "";
        QTest::addRow("pitr period") << "{'tables':{'0':{'pitr':{'recoveryPeriodDays':7}}}}" << "";
        QTest::addRow("pitr period 36") << "{'tables':{'0':{'pitr':{'recoveryPeriodDays':36}}}}"
                                        << "tables[0].pitr.recoveryPeriodDays: must be a number <= 35";
        QTest::addRow("pitr period 0") << "{'tables':{'0':{'pitr':{'recoveryPeriodDays':0}}}}"
                                       << "tables[0].pitr.recoveryPeriodDays: must be a number >= 1";
        QTest::addRow("pitr type") << "{'tables':{'0':{'pitr':'yes'}}}"
                                   << "tables[0].pitr: must be true, false or {'recoveryPeriodDays': 1..35}";
        QTest::addRow("pitr unknown") << "{'tables':{'0':{'pitr':{'days':3}}}}" << "tables[0].pitr.days: unknown field";
        // ttl
        QTest::addRow("ttl attribute missing") << "{'tables':{'0':{'ttl':{}}}}" << "tables[0].ttl.attribute: is required";
        QTest::addRow("ttl attribute empty") << "{'tables':{'0':{'ttl':{'attribute':''}}}}"
                                             << "tables[0].ttl.attribute: must be 1 to 255 characters";
        QTest::addRow("ttl on the payload") << "{'tables':{'0':{'ttl':{'attribute':'p'}}}}"
                                            << "tables[0].ttl.attribute: 'p' is the payload attribute of generated items, not a TTL attribute";
        QTest::addRow("ttlSeconds from an updateTimeToLive event")
            << "{" + writer + "'ttlSeconds':{'type':'uniform','min':'1h','max':'2h'}}},"
               "'events':[{'at':'10m','action':'updateTimeToLive','table':'orders','enabled':true,'attribute':'ExpTime'}]}"
            << "";
        QTest::addRow("ttlSeconds beside the attribute") << "{'tables':{'0':{'ttl':{'attribute':'ExpTime'}}}," + writer
                + "'attributes':{'ExpTime':{'type':'uniform','cardinality':3}},'ttlSeconds':{'type':'fixed','duration':60}}}}"
                                                         << "workloads[0].ttlSeconds: the TTL attribute 'ExpTime' is also one of "
                                                            "the workload attributes; set one or the other";
        QTest::addRow("model ttlDelay") << "{'model':{'ttlDelay':'lognormal(30m,0.5)'}}" << "";
        QTest::addRow("model ttlDelay shape") << "{'model':{'ttlDelay':'2h'}}"
                                              << "model.ttlDelay: must be 'lognormal(<median duration>,<sigma>)', e.g. "
                                                 "'lognormal(4ms,0.5)'";
        QTest::addRow("ttl type") << "{'tables':{'0':{'ttl':'ExpTime'}}}" << "tables[0].ttl: must be an object";
        // ttlSeconds
        QTest::addRow("ttlSeconds without a TTL attribute") << "{" + writer + "'ttlSeconds':{'type':'fixed','duration':60}}}}"
                                                            << "workloads[0].ttlSeconds: table 'orders' has no TTL attribute "
                                                               "(set its 'ttl', or enable TTL with an updateTimeToLive event)";
        QTest::addRow("ttlSeconds on reads") << "{'tables':{'0':{'ttl':{'attribute':'ExpTime'}}},"
                                                "'workloads':{'0':{'ttlSeconds':{'type':'fixed','duration':60}}}}"
                                             << "workloads[0].ttlSeconds: the workload writes no items (ttlSeconds needs "
                                                "PutItem, UpdateItem, BatchWriteItem or TransactWriteItems)";
        QTest::addRow("ttlSeconds shape") << "{" + writer + "'ttlSeconds':{'type':'fixed','size':60}}}}"
                                          << "workloads[0].ttlSeconds.duration: is required\n"
                                             "workloads[0].ttlSeconds.size: unknown field";
        QTest::addRow("ttlSeconds lognormal median 0") << "{" + writer + "'ttlSeconds':{'type':'lognormal','median':0,'sigma':1}}}}"
                                                       << "workloads[0].ttlSeconds.median: must be a duration > 0";
        QTest::addRow("ttlSeconds uniform") << "{" + writer + "'ttlSeconds':{'type':'uniform','min':'2h','max':'1h'}}}}"
                                            << "workloads[0].ttlSeconds.max: must be >= min (7200 s)";
        QTest::addRow("ttlSeconds on a key attribute")
            << "{'tables':{'0':{'ttl':{'attribute':'pk'}}}," + writer + "'ttlSeconds':{'type':'fixed','duration':60}}}}"
            << "workloads[0].ttlSeconds: the TTL attribute 'pk' of table 'orders' is a key attribute; generated items "
               "cannot carry an expiry there";
        // streams
        QTest::addRow("streams with consumers")
            << "{'tables':{'0':{'streams':{'viewType':'NEW_AND_OLD_IMAGES','consumers':[{'name':'copier','kind':'lambda',"
               "'batchSize':100,'pollInterval':'1s','processingTime':{'type':'lognormal','median':'20ms','sigma':0.5},"
               "'writesTo':'copies'},{'name':'poller','kind':'client','sink':'out/records'}]}}," + copies + "}}"
            << "";
        QTest::addRow("streams viewType") << "{'tables':{'0':{'streams':{'viewType':'NEW'}}}}"
                                          << "tables[0].streams.viewType: must be 'KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE' or "
                                             "'NEW_AND_OLD_IMAGES'";
        QTest::addRow("streams viewType missing") << "{'tables':{'0':{'streams':{'consumers':[]}}}}"
                                                  << "tables[0].streams.viewType: is required";
        QTest::addRow("consumer fields")
            << "{'tables':{'0':{'streams':{'viewType':'KEYS_ONLY','consumers':[{'name':'c','kind':'sqs','batchSize':1001,"
               "'pollInterval':0,'processingTime':{'type':'fixed','duration':-1},'sink':'','retries':2},"
               "{'name':'c','kind':'kinesis'}]}}}}"
            << "tables[0].streams.consumers[0].kind: must be 'lambda', 'client' or 'kinesis'\n"
               "tables[0].streams.consumers[0].batchSize: must be a number <= 1000\n"
               "tables[0].streams.consumers[0].pollInterval: must be a duration > 0\n"
               "tables[0].streams.consumers[0].processingTime.duration: must be a duration >= 0\n"
               "tables[0].streams.consumers[0].sink: must name a folder\n"
               "tables[0].streams.consumers[0].retries: unknown field\n"
               "tables[0].streams.consumers[1].name: duplicate consumer name 'c' on table 'orders'";
        QTest::addRow("consumer without name and kind") << "{'tables':{'0':{'streams':{'viewType':'KEYS_ONLY','consumers':[{}]}}}}"
                                                        << "tables[0].streams.consumers[0].name: is required\n"
                                                           "tables[0].streams.consumers[0].kind: is required";
        QTest::addRow("writesTo unknown")
            << "{'tables':{'0':{'streams':{'viewType':'NEW_IMAGE','consumers':[{'name':'c','kind':'lambda','writesTo':'nope'}]}}}}"
            << "tables[0].streams.consumers[0].writesTo: no table named 'nope' in tables";
        QTest::addRow("writesTo itself")
            << "{'tables':{'0':{'streams':{'viewType':'NEW_IMAGE','consumers':[{'name':'c','kind':'lambda','writesTo':'orders'}]}}}}"
            << "tables[0].streams.consumers[0].writesTo: must be another table than 'orders' (the table of the stream)";
        QTest::addRow("writesTo another key schema")
            << "{'tables':{'0':{'streams':{'viewType':'NEW_IMAGE','consumers':[{'name':'c','kind':'lambda','writesTo':'copies'}]}},"
               "'1':{'name':'copies','partitionKey':{'name':'id','type':'N'},'billingMode':'PAY_PER_REQUEST'}}}"
            << "tables[0].streams.consumers[0].writesTo: table 'copies' must have the key schema of 'orders' (pk (S); it "
               "has id (N))";
        // A pipeline writes each record's NewImage: a view without it cannot feed writesTo (reference A7).
        QTest::addRow("writesTo without the new image")
            << "{'tables':{'0':{'streams':{'viewType':'KEYS_ONLY','consumers':[{'name':'c','kind':'lambda','writesTo':'copies'}]}},"
                + copies + "}}"
            << "tables[0].streams.consumers[0].writesTo: needs the new image: the stream viewType must be 'NEW_IMAGE' or "
               "'NEW_AND_OLD_IMAGES' (it is 'KEYS_ONLY')";
        // A sink names a folder; an existing file there (here the test program) is refused.
        const QString file = QCoreApplication::applicationFilePath();
        QTest::addRow("sink that is a file")
            << "{'tables':{'0':{'streams':{'viewType':'NEW_IMAGE','consumers':[{'name':'c','kind':'client','sink':'" + file + "'}]}}}}"
            << "tables[0].streams.consumers[0].sink: '" + file + "' exists and is not a folder";
        QTest::addRow("kinesis model rates") << "{'model':{'kdsDuplicateRate':0.5,'kdsReorderRate':0}}" << "";
        QTest::addRow("kinesis model rate above 1") << "{'model':{'kdsDuplicateRate':2}}"
                                                    << "model.kdsDuplicateRate: must be a number <= 1";
        // updateTimeToLive
        QTest::addRow("updateTimeToLive")
            << "{'events':[{'at':'10m','action':'updateTimeToLive','table':'orders','enabled':true,'attribute':'ExpTime'}]}"
            << "";
        QTest::addRow("updateTimeToLive fields")
            << "{'events':[{'at':'10m','action':'updateTimeToLive','table':'nope','attribute':''}]}"
            << "events[0].table: no table named 'nope' in tables\n"
               "events[0].enabled: is required\n"
               "events[0].attribute: must be 1 to 255 characters";
        // createBackup, restoreTable
        const QString backup = "{'at':'10m','action':'createBackup','table':'orders','name':'nightly'}";
        QTest::addRow("createBackup and restore") << "{'events':[" + backup
                + ",{'at':'20m','action':'restoreTable','backup':'nightly','target':'orders-restored'}]}"
                                                  << "";
        QTest::addRow("createBackup name") << "{'events':[{'at':0,'action':'createBackup','table':'orders','name':'b'}]}"
                                           << "events[0].name: must be 3 to 255 characters, each a letter, a digit, _, . or -";
        QTest::addRow("createBackup name missing") << "{'events':[{'at':0,'action':'createBackup','table':'orders'}]}"
                                                   << "events[0].name: is required";
        QTest::addRow("restore a later backup")
            << "{'events':[{'at':'5m','action':'restoreTable','backup':'nightly','target':'orders-restored'}," + backup + "]}"
            << "events[0].backup: no createBackup event named 'nightly' at or before this event";
        QTest::addRow("restore point in time") << "{" + pitr
                + ",'events':[{'at':'30m','action':'restoreTable','table':'orders','pointInTime':'10m','target':'orders-10m'}]}"
                                               << "";
        QTest::addRow("restore point in time without pitr")
            << "{'events':[{'at':'30m','action':'restoreTable','table':'orders','pointInTime':'10m','target':'orders-10m'}]}"
            << "events[0].table: restoreTable with pointInTime needs point-in-time recovery on table 'orders' (set its 'pitr'; "
               "DynamoDB answers PointInTimeRecoveryUnavailableException)";
        QTest::addRow("restore to the future") << "{" + pitr
                + ",'events':[{'at':'30m','action':'restoreTable','table':'orders','pointInTime':'40m','target':'orders-40m'}]}"
                                               << "events[0].pointInTime: must not be after the event time (at 1800 s)";
        QTest::addRow("restore from both") << "{" + pitr + ",'events':[" + backup
                + ",{'at':'30m','action':'restoreTable','backup':'nightly','table':'orders','pointInTime':0,'target':'x-restored'}]}"
                                           << "events[1]: restoreTable needs either 'backup' or 'table' with 'pointInTime'";
        QTest::addRow("restore over a table") << "{'events':[" + backup
                + ",{'at':'20m','action':'restoreTable','backup':'nightly','target':'orders'}]}"
                                              << "events[1].target: table 'orders' already exists (restoreTable and importTable "
                                                 "create a new table)";
        QTest::addRow("restore target missing") << "{'events':[" + backup + ",{'at':'20m','action':'restoreTable','backup':'nightly'}]}"
                                                << "events[1].target: is required";
        QTest::addRow("restore backup with pointInTime") << "{'events':[" + backup
                + ",{'at':'20m','action':'restoreTable','backup':'nightly','pointInTime':0,'target':'orders-r'}]}"
                                                         << "events[1].pointInTime: only allowed with 'table' (a backup restores "
                                                            "the table as it was when backed up)";
        // exportTable
        QTest::addRow("export") << "{" + pitr + ",'events':[{'at':'30m','action':'exportTable','table':'orders','format':'ION',"
                                                "'type':'FULL_EXPORT','pointInTime':'25m'}]}"
                                << "";
        QTest::addRow("export incremental") << "{" + pitr + ",'events':[{'at':'50m','action':'exportTable','table':'orders',"
                                                            "'type':'INCREMENTAL_EXPORT','pointInTime':'20m'}]}"
                                            << "";
        QTest::addRow("export without pitr") << "{'events':[{'at':'30m','action':'exportTable','table':'orders'}]}"
                                             << "events[0].table: exportTable needs point-in-time recovery on table 'orders' (set "
                                                "its 'pitr'; DynamoDB answers PointInTimeRecoveryUnavailableException)";
        QTest::addRow("export format and type") << "{" + pitr
                + ",'events':[{'at':'30m','action':'exportTable','table':'orders','format':'CSV','type':'DELTA'}]}"
                                                << "events[0].format: must be 'DYNAMODB_JSON' or 'ION'\n"
                                                   "events[0].type: must be 'FULL_EXPORT' or 'INCREMENTAL_EXPORT'";
        QTest::addRow("export incremental window") << "{" + pitr + ",'events':[{'at':'30m','action':'exportTable','table':'orders',"
                                                                   "'type':'INCREMENTAL_EXPORT','pointInTime':'25m'}]}"
                                                   << "events[0].pointInTime: the window of an INCREMENTAL_EXPORT (from pointInTime to "
                                                      "the event time) must be 15 minutes to 24 hours (it is 300 s)";
        QTest::addRow("export incremental from") << "{" + pitr
                + ",'events':[{'at':'30m','action':'exportTable','table':'orders','type':'INCREMENTAL_EXPORT'}]}"
                                                 << "events[0].pointInTime: is required";
        // importTable
        const QString target = "'target':{'name':'imported','partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST'}";
        QTest::addRow("import") << "{'events':[{'at':'5m','action':'importTable','source':'.','format':'CSV','compression':'GZIP',"
                + target + "}]}"
                                << "";
        QTest::addRow("import fields") << "{'events':[{'at':'5m','action':'importTable','source':'nope','format':'XML',"
                                          "'compression':'BZIP2'," + target + "}]}"
                                       << "events[0].source: no such folder: './nope'\n"
                                          "events[0].format: must be 'CSV', 'DYNAMODB_JSON' or 'ION'\n"
                                          "events[0].compression: must be 'NONE', 'GZIP' or 'ZSTD'";
        QTest::addRow("import target")
            << "{'events':[{'at':'5m','action':'importTable','source':'.','format':'ION','target':{'name':'orders',"
               "'partitionKey':{'name':'id','type':'S'},'billingMode':'PAY_PER_REQUEST','pitr':true,"
               "'initialData':{'items':5}}}]}"
            << "events[0].target.initialData: not allowed on an importTable target (ImportTable creates the table from its source)\n"
               "events[0].target.pitr: not allowed on an importTable target (ImportTable creates the table from its source)\n"
               "events[0].target.name: table 'orders' already exists (restoreTable and importTable create a new table)";
        QTest::addRow("import target missing") << "{'events':[{'at':'5m','action':'importTable','source':'.','format':'ION'}]}"
                                               << "events[0].target: is required";
        // Workloads on a table a restore or an import makes (parsed after the events, against it).
        const QString onTarget = "'workloads':{'1':{'table':'%1','rate':{'type':'constant','rate':1},'operations':{'GetItem':1}}},";
        QTest::addRow("workload on a restore target")
            << "{" + onTarget.arg("orders-restored") + "'events':[" + "{'at':'10m','action':'createBackup','table':'orders','name':'nightly'},"
                   "{'at':'20m','action':'restoreTable','backup':'nightly','target':'orders-restored'}]}"
            << "";
        QTest::addRow("workload on a point-in-time target's index")
            << "{'tables':{'0':{'pitr':true,'globalSecondaryIndexes':[{'name':'byStatus','partitionKey':{'name':'status','type':'S'},"
               "'projection':'ALL','provisioned':{'read':5,'write':5}}]}},"
               "'workloads':{'1':{'table':'orders-10m/byStatus','rate':{'type':'constant','rate':1},'operations':{'Query':1}}},"
               "'events':[{'at':'30m','action':'restoreTable','table':'orders','pointInTime':'10m','target':'orders-10m'}]}"
            << "";
        QTest::addRow("workload on an import target") << "{" + onTarget.arg("imported")
                + "'events':[{'at':'5m','action':'importTable','source':'.','format':'CSV'," + target + "}]}"
                                                      << "";
        QTest::addRow("workload on a restore target's missing index")
            << "{'workloads':{'1':{'table':'orders-restored/nope','rate':{'type':'constant','rate':1},'operations':{'Query':1}}},"
               "'events':[{'at':'10m','action':'createBackup','table':'orders','name':'nightly'},"
               "{'at':'20m','action':'restoreTable','backup':'nightly','target':'orders-restored'}]}"
            << "workloads[1].table: no index named 'nope' on table 'orders-restored'";
        QTest::addRow("workload on an invalid import's target")
            << "{" + onTarget.arg("imported") + "'events':[{'at':'5m','action':'importTable','source':'.','format':'CSV',"
                   "'target':{'name':'imported','partitionKey':{'name':'id','type':'X'},'billingMode':'PAY_PER_REQUEST'}}]}"
            << "events[0].target.partitionKey.type: must be 'S', 'N' or 'B'\n"
               "workloads[1].table: no table named 'imported' in tables, and the restoreTable or importTable event that "
               "would make it is invalid";
        QTest::addRow("ttlSeconds on a restore target")
            << "{'tables':{'0':{'ttl':{'attribute':'ExpTime'}}},'workloads':{'1':{'table':'orders-restored','rate':{'type':'constant','rate':1},"
               "'operations':{'PutItem':1},'ttlSeconds':{'type':'fixed','duration':60}}},"
               "'events':[{'at':'10m','action':'createBackup','table':'orders','name':'nightly'},"
               "{'at':'20m','action':'restoreTable','backup':'nightly','target':'orders-restored'}]}"
            << "workloads[1].ttlSeconds: table 'orders-restored' is made by a restoreTable or importTable event, which gives "
               "it no TTL; ttlSeconds needs a table with TTL";
    }
    void lifecycle()
    {
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        const auto r = loadPatched(patch);
        QString want = QString::fromStdString(J(expected.toStdString()));
        if (!want.isEmpty())
            want += '\n';
        QCOMPARE(errorText(r), want);
        QCOMPARE(r.scenario.has_value(), want.isEmpty());
    }

    void lifecycleValues()
    {
        const auto r = loadPatched("{'tables':{'0':{'pitr':{'recoveryPeriodDays':7}}},'events':["
                                   "{'at':'10m','action':'createBackup','table':'orders','name':'nightly'},"
                                   "{'at':'20m','action':'restoreTable','backup':'nightly','target':'orders-restored'},"
                                   "{'at':'50m','action':'exportTable','table':'orders','format':'ION','type':'INCREMENTAL_EXPORT',"
                                   "'pointInTime':'20m'},"
                                   "{'at':'55m','action':'importTable','source':'.','format':'CSV','compression':'ZSTD',"
                                   "'target':{'name':'imported','partitionKey':{'name':'id','type':'N'},'billingMode':'PAY_PER_REQUEST'}}]}");
        QVERIFY2(r.scenario, qPrintable(errorText(r)));
        const Scenario& s = *r.scenario;
        QVERIFY(s.tables[0].pitr);
        QCOMPARE(s.tables[0].pitr->recoveryPeriodDays, std::int64_t(7));
        QVERIFY(s.events[0].action == EventSpec::Action::CreateBackup);
        QCOMPARE(s.events[0].backupName, std::string("nightly"));
        QVERIFY(s.events[1].action == EventSpec::Action::RestoreTable);
        QCOMPARE(s.events[1].backupName, std::string("nightly"));
        QCOMPARE(s.events[1].target, std::string("orders-restored"));
        QVERIFY(!s.events[1].pointInTime);
        QVERIFY(s.events[2].action == EventSpec::Action::ExportTable);
        QCOMPARE(s.events[2].exportFormat, std::string("ION"));
        QVERIFY(s.events[2].incrementalExport);
        QCOMPARE(s.events[2].pointInTime, std::optional<SimTime>(20 * kSimMinute));
        QVERIFY(s.events[3].action == EventSpec::Action::ImportTable);
        QCOMPARE(s.events[3].exportFormat, std::string("CSV"));
        QCOMPARE(s.events[3].importCompression, std::string("ZSTD"));
        QVERIFY(s.events[3].importTarget && s.events[3].importTarget->name == "imported");
        QVERIFY(s.events[3].importTarget->partitionKey.type == AttrType::N);
        QVERIFY(QFileInfo(QString::fromStdString(s.events[3].importSource)).isDir());
        const auto defaults = loadPatched("{'tables':{'0':{'pitr':true}}}");
        QVERIFY2(defaults.scenario, qPrintable(errorText(defaults)));
        QCOMPARE(defaults.scenario->tables[0].pitr->recoveryPeriodDays, std::int64_t(35));
        QVERIFY(!loadPatched("").scenario->tables[0].pitr);
    }

    void indexes_data()
    {
        QTest::addColumn<QString>("patch");
        QTest::addColumn<QString>("expected");
        const QString gsi = "{'name':'byStatus','partitionKey':{'name':'status','type':'S'},'provisioned':{'read':5,'write':5}}";
        QTest::addRow("GSI") << "{'tables':{'0':{'globalSecondaryIndexes':[" + gsi + "]}}}" << "";
        QTest::addRow("GSI query") << "{'tables':{'0':{'globalSecondaryIndexes':[" + gsi
                + "]}},'workloads':{'0':{'table':'orders/byStatus','operations':{'GetItem':null,'Query':0.5,'Scan':0.5}}}}"
                                   << "";
        QTest::addRow("GSI without provisioned")
            << "{'tables':{'0':{'globalSecondaryIndexes':[{'name':'byStatus','partitionKey':{'name':'status','type':'S'}}]}}}"
            << "tables[0].globalSecondaryIndexes[0].provisioned: is required";
        QTest::addRow("GSI bad fields")
            << "{'tables':{'0':{'globalSecondaryIndexes':[{'name':'g','partitionKey':{'name':'pk','type':'N'},"
               "'projection':'SOME','provisioned':{'read':5,'write':5},'onDemand':{}}]}}}"
            << "tables[0].globalSecondaryIndexes[0].name: must be 3 to 255 characters, each a letter, a digit, _, . or -\n"
               "tables[0].globalSecondaryIndexes[0].partitionKey.type: attribute 'pk' is already a key of type S\n"
               "tables[0].globalSecondaryIndexes[0].projection: must be 'ALL', 'KEYS_ONLY' or {'include': [attribute names]}\n"
               "tables[0].globalSecondaryIndexes[0].onDemand: only allowed with billingMode PAY_PER_REQUEST";
        QTest::addRow("GSI include empty")
            << "{'tables':{'0':{'globalSecondaryIndexes':[{'name':'byStatus','partitionKey':{'name':'status','type':'S'},"
               "'projection':{'include':[]},'provisioned':{'read':5,'write':5}}]}}}"
            << "tables[0].globalSecondaryIndexes[0].projection.include: must name at least one attribute";
        QTest::addRow("duplicate index")
            << "{'tables':{'0':{'globalSecondaryIndexes':[" + gsi + "," + gsi + "]}}}"
            << "tables[0].globalSecondaryIndexes[1].name: duplicate index name 'byStatus' in table 'orders'";
        QTest::addRow("LSI without table sort key")
            << "{'tables':{'0':{'localSecondaryIndexes':[{'name':'byDate','sortKey':{'name':'date','type':'S'}}]}}}"
            << "tables[0].localSecondaryIndexes: local secondary indexes need a table with a sort key";
        QTest::addRow("LSI capacity")
            << "{'tables':{'0':{'sortKey':{'name':'sk','type':'S'},'localSecondaryIndexes':[{'name':'byDate',"
               "'sortKey':{'name':'date','type':'S'},'provisioned':{'read':1,'write':1}}]}}}"
            << "tables[0].localSecondaryIndexes[0].provisioned: not allowed on a local secondary index (it uses the capacity of its table)";
        QTest::addRow("GetItem on an index")
            << "{'tables':{'0':{'globalSecondaryIndexes':[" + gsi + "]}},'workloads':{'0':{'table':'orders/byStatus'}}}"
            << "workloads[0].operations.GetItem: GetItem cannot target an index; only Query and Scan can (table 'orders/byStatus')";
        QTest::addRow("strong read on a GSI")
            << "{'tables':{'0':{'globalSecondaryIndexes':[" + gsi
                + "]}},'workloads':{'0':{'table':'orders/byStatus','operations':{'GetItem':null,'Query':1},'consistency':'strong'}}}"
            << "workloads[0].consistency: strongly consistent reads are not supported on global secondary index 'byStatus'";
        QTest::addRow("unknown index") << "{'workloads':{'0':{'table':'orders/byStatus','operations':{'GetItem':null,'Query':1}}}}"
                                       << "workloads[0].table: no index named 'byStatus' on table 'orders'";
        QTest::addRow("createIndex") << "{'events':[{'at':0,'action':'createIndex','table':'orders','index':" + gsi
                + "}],'workloads':{'0':{'table':'orders/byStatus','operations':{'GetItem':null,'Query':1}}}}"
                                     << "";
        QTest::addRow("createIndex bad") << "{'events':[{'at':0,'action':'createIndex','table':'orders','index':{}}]}"
                                         << "events[0].index.name: is required\n"
                                            "events[0].index.partitionKey: is required\n"
                                            "events[0].index.provisioned: is required";
        QTest::addRow("deleteIndex") << "{'tables':{'0':{'globalSecondaryIndexes':[" + gsi
                + "]}},'events':[{'at':0,'action':'deleteIndex','table':'orders','name':'byStatus'}]}"
                                     << "";
        QTest::addRow("deleteIndex unknown") << "{'events':[{'at':0,'action':'deleteIndex','table':'orders','name':'g'}]}"
                                             << "events[0].name: no global secondary index named 'g' on table 'orders'";
    }
    void indexes()
    {
        QFETCH(QString, patch);
        QFETCH(QString, expected);
        const auto r = loadPatched(patch);
        QString want = QString::fromStdString(J(expected.toStdString()));
        if (!want.isEmpty())
            want += '\n';
        QCOMPARE(errorText(r), want);
        QCOMPARE(r.scenario.has_value(), want.isEmpty());
    }

    void allErrorsAtOnce()
    {
        const auto r = loadPatched("{'format':'v1','duration':-5,'tables':{'0':{'provisioned':{'read':0,'write':0}}},"
                                   "'workloads':{'0':{'rat':1,'rate':null,'operations':{'GetItem':0.5}}},"
                                   "'events':[{'at':0,'action':'regionOutage'}],'seed':'x'}");
        QVERIFY(!r.scenario);
        QCOMPARE(errorText(r),
            QString::fromStdString(J("format: must be 'capsim-scenario/1'\n"
                                     "duration: must be a duration > 0\n"
                                     "seed: must be an integer\n"
                                     "tables[0].provisioned.read: must be a number >= 1\n"
                                     "tables[0].provisioned.write: must be a number >= 1\n"
                                     "workloads[0].rate: is required\n"
                                     "workloads[0].operations: fractions must sum to 1 (they sum to 0.5)\n"
                                     "workloads[0].rat: unknown field\n"
                                     "events[0].duration: is required\n"
                                     "events[0].region: is required\n")));
    }

    void notJson()
    {
        const auto syntax = loadScenarioText("{\n  \"name\": \"x\",,\n}", ".");
        QVERIFY(!syntax.scenario);
        QCOMPARE(syntax.errors.size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(syntax.errors[0].message).startsWith("not valid JSON at line 2, column 15"),
            syntax.errors[0].message.c_str());
        const auto array = loadScenarioText("[1,2]", ".");
        QCOMPARE(QString::fromStdString(formatErrors(array.errors)), QString("a scenario must be a JSON object\n"));
        const auto missing = loadScenarioFile("/nonexistent/scenario.json");
        QCOMPARE(QString::fromStdString(formatErrors(missing.errors)),
            QString("/nonexistent/scenario.json: cannot read the scenario file\n"));
    }

    void trace_data()
    {
        QTest::addColumn<QString>("csv");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("expectedRates"); // space separated, or the error line
        QTest::addRow("counts per minute") << "Timestamp,Sum\nt0,60\nt1,120\nt2,0\n"
                                           << "{'column':'Sum','interval':'1m'}"
                                           << "1 2 0";
        QTest::addRow("rates") << "time,rps\nt0,1.5\nt1,2.5\n"
                               << "{'column':'rps','interval':'1m','values':'rate'}"
                               << "1.5 2.5";
        QTest::addRow("quoted header, CRLF, BOM, blank tail")
            << "\xEF\xBB\xBF\"Timestamp\",\"Sum\"\r\n\"2024-01-01 00:00\",10\r\n\"2024-01-01 00:01\",30\r\n\r\n"
            << "{'column':'Sum','interval':'10s'}"
            << "1 3";
        QTest::addRow("second column of three") << "a,b,c\n1,20,3\n4,40,6\n"
                                                << "{'column':'b','interval':20}"
                                                << "1 2";
        QTest::addRow("missing column")
            << "Timestamp,Sum\nt0,1\n"
            << "{'column':'Count','interval':'1m'}"
            << "workloads[0].rate.column: no column 'Count' in the header of traffic.csv (columns: 'Timestamp', 'Sum')";
        QTest::addRow("non-numeric cell")
            << "Timestamp,Sum\nt0,1\nt1,abc\nt2,2\n"
            << "{'column':'Sum','interval':'1m'}"
            << "workloads[0].rate.file: traffic.csv line 3: 'abc' in column 'Sum' is not a number";
        QTest::addRow("short row") << "Timestamp,Sum\nt0\n"
                                   << "{'column':'Sum','interval':'1m'}"
                                   << "workloads[0].rate.file: traffic.csv line 2: no value in column 'Sum'";
        QTest::addRow("negative cell")
            << "Timestamp,Sum\nt0,-4\n"
            << "{'column':'Sum','interval':'1m'}"
            << "workloads[0].rate.file: traffic.csv line 2: value -4 in column 'Sum' must be >= 0";
        QTest::addRow("no rows") << "Timestamp,Sum\n"
                                 << "{'column':'Sum','interval':'1m'}"
                                 << "workloads[0].rate.file: traffic.csv has no data rows below its header";
        QTest::addRow("empty file")
            << ""
            << "{'column':'Sum','interval':'1m'}"
            << "workloads[0].rate.file: traffic.csv is empty (expected a header row naming the columns)";
        QTest::addRow("missing file") << ""
                                      << "{'file':'other.csv','column':'Sum','interval':'1m'}"
                                      << "workloads[0].rate.file: cannot read trace file '<dir>/other.csv'";
        QTest::addRow("interval zero") << "a\n1\n"
                                       << "{'column':'a','interval':0}"
                                       << "workloads[0].rate.interval: must be a duration > 0";
        QTest::addRow("values") << "a\n1\n"
                                << "{'column':'a','interval':1,'values':'sum'}"
                                << "workloads[0].rate.values: must be 'count' or 'rate'";
        QTest::addRow("column missing") << "a\n1\n"
                                        << "{'interval':1}"
                                        << "workloads[0].rate.column: is required";
    }
    void trace()
    {
        QFETCH(QString, csv);
        QFETCH(QString, pattern);
        QFETCH(QString, expectedRates);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir.filePath("traffic.csv"), csv.toStdString());
        auto rate = capsim::test::parse(J("{'type':'trace','file':'traffic.csv'}"));
        mergePatch(rate, capsim::test::parse(J(pattern.toStdString())));
        auto scenario = capsim::test::parse(J(kBase));
        scenario.at("workloads").at(0).as_object()["rate"] = rate;
        writeFile(dir.filePath("scenario.json"), toJsonText(scenario));
        // Relative paths resolve against the scenario file's directory.
        const auto r = loadScenarioFile(dir.filePath("scenario.json").toStdString());
        if (expectedRates.isEmpty() || expectedRates[0].isDigit()) {
            QVERIFY2(r.scenario, qPrintable(errorText(r)));
            const auto& spec = r.scenario->workloads[0].rate;
            QVERIFY(spec.type == RatePatternSpec::Type::Trace);
            QStringList rates;
            for (double v : spec.traceRates)
                rates << QString::number(v);
            QCOMPARE(rates.join(' '), expectedRates);
        } else {
            QVERIFY(!r.scenario);
            QString want = QString::fromStdString(J(expectedRates.toStdString())).replace("<dir>", dir.path());
            QCOMPARE(errorText(r), want + '\n');
        }
    }
};

QTEST_GUILESS_MAIN(TestScenarioLoader)
#include "tst_scenario_loader.moc"

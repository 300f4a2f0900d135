// Typed run events: one renderer gives each kind's detail text (events.csv), and a results
// database gives the kinds and payloads back.
#include "simulator/results_store.h"
#include "simulator/run_event.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace capsim;

Q_DECLARE_METATYPE(capsim::RunEvent)

namespace {

RunEvent at(double seconds, const std::string& table, EventKind kind, EventPayload payload)
{
    return { seconds, table, kind, std::move(payload) };
}

ChangeRefused refused(ChangeRefused::Request request, std::string index, std::string type, std::string message)
{
    ChangeRefused r;
    r.request = request;
    r.index = std::move(index);
    r.errorType = std::move(type);
    r.message = std::move(message);
    return r;
}

// One event of every kind and payload the simulator writes, with the detail text it had when
// the simulator wrote sentences.
struct Row {
    const char* name;
    RunEvent event;
    const char* text;
};

std::vector<Row> rows()
{
    ChangeRefused scalingRefused = refused(ChangeRefused::Request::AutoScaling, "", "LimitExceededException",
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day.");
    scalingRefused.scaling = ScalingDecision { Dimension::Write, 40, 12, 15, 7.6, 70 };
    ChangeRefused updateRefused = refused(ChangeRefused::Request::UpdateTable, "", "ResourceInUseException",
        "Attempt to change a resource which is still in use: Table is being updated: Orders");
    updateRefused.update = TableUpdated { std::nullopt, BillingMode::Provisioned, 100, 50 };
    return {
        { "scaleOut", at(420, "Orders", EventKind::ScaleOut, ScalingDecision { Dimension::Write, 10, 15, 2, 10.4, 70 }),
            "write 10 -> 15 (mean of the last 2 minutes 10 units/s, target 70%)" },
        { "scaleIn", at(3600, "Orders", EventKind::ScaleIn, ScalingDecision { Dimension::Read, 400, 143, 15, 99.5, 70 }),
            "read 400 -> 143 (mean of the last 15 minutes 100 units/s, target 70%)" },
        { "capacityChanged", at(540, "Orders", EventKind::CapacityChanged, CapacityInForce { Dimension::Read, 10, 15 }),
            "read capacity 10 -> 15 units/s in force" },
        { "partitionSplit", at(45.5, "Orders", EventKind::PartitionSplit, PartitionCountChange { 1, 2, false }),
            "1 -> 2 partitions" },
        { "splitForHeat", at(900, "Hot", EventKind::PartitionSplit, PartitionCountChange { 4, 5, true }),
            "4 -> 5 partitions (split for heat)" },
        { "modeSwitch", at(720, "Orders", EventKind::ModeSwitch, BillingModeInForce { BillingMode::PayPerRequest }),
            "billing mode PAY_PER_REQUEST in force" },
        { "throttleStart",
            at(300, "Orders", EventKind::ThrottleStart,
                ThrottleChange { Dimension::Write, 4, 1234, "ProvisionedThroughputExceededException" }),
            "write throttling began in minute 4 (1234 requests answered ProvisionedThroughputExceededException)" },
        { "throttleEnd", at(600, "Orders", EventKind::ThrottleEnd, ThrottleChange { Dimension::Read, 9, 0, "" }),
            "read throttling ended in minute 9" },
        { "workloadRate", at(60, "", EventKind::EventApplied, WorkloadRateChanged { "shop" }),
            "workload shop rate changed" },
        { "autoScalingSet", at(60, "Orders", EventKind::EventApplied, AutoScalingPolicyChanged { false }),
            "auto scaling policy set" },
        { "autoScalingRemoved", at(60, "Orders", EventKind::EventApplied, AutoScalingPolicyChanged { true }),
            "auto scaling removed" },
        { "updateTableCapacity",
            at(60, "Orders", EventKind::EventApplied, TableUpdated { std::nullopt, std::nullopt, 100, 50 }),
            "updateTable provisioned 100 RCU / 50 WCU" },
        { "updateTableMode",
            at(60, "Orders", EventKind::EventApplied,
                TableUpdated { TableClass::StandardInfrequentAccess, BillingMode::PayPerRequest, std::nullopt, std::nullopt }),
            "updateTable tableClass STANDARD_INFREQUENT_ACCESS billingMode PAY_PER_REQUEST" },
        { "updateTableNothing", at(60, "Orders", EventKind::EventApplied, TableUpdated {}), "updateTable" },
        { "indexCreating", at(120, "Orders/ByCustomer", EventKind::IndexCreating, IndexChange { "ByCustomer", 5000 }),
            "global secondary index ByCustomer CREATING: backfilling 5000 items through its write capacity" },
        { "indexActive", at(270, "Orders/ByCustomer", EventKind::IndexActive, IndexChange { "ByCustomer", 4990 }),
            "global secondary index ByCustomer ACTIVE after backfilling 4990 entries" },
        { "indexDeleted", at(900, "Orders/ByCustomer", EventKind::IndexDeleted, IndexChange { "ByCustomer", 0 }),
            "global secondary index ByCustomer deleted" },
        { "refusedScaling", at(4000, "Orders", EventKind::EventRefused, scalingRefused),
            "auto scaling write 40 -> 12 (mean of the last 15 minutes 8 units/s, target 70%): LimitExceededException: "
            "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day." },
        { "refusedUpdate", at(3725, "Orders", EventKind::EventRefused, updateRefused),
            "updateTable at 01:02:05: ResourceInUseException: Attempt to change a resource which is still in use: "
            "Table is being updated: Orders" },
        { "refusedCreateIndex",
            at(90061, "Orders", EventKind::EventRefused,
                refused(ChangeRefused::Request::CreateIndex, "ByDay", "LimitExceededException", "too many")),
            "createIndex ByDay at 25:01:01: LimitExceededException: too many" },
        { "refusedDeleteIndex",
            at(59.999999, "Orders", EventKind::EventRefused,
                refused(ChangeRefused::Request::DeleteIndex, "ByDay", "ResourceNotFoundException", "gone")),
            "deleteIndex ByDay at 00:00:59: ResourceNotFoundException: gone" },
        { "refusedBackfill",
            at(10, "Orders/ByDay", EventKind::EventRefused,
                refused(ChangeRefused::Request::Backfill, "ByDay", "InternalServerError", "disk")),
            "backfill of ByDay: InternalServerError: disk" },
        { "requestFailed",
            at(12, "Orders", EventKind::RequestFailed,
                RequestFailure { "TransactWriteItems", "ValidationException",
                    "Transaction request size cannot exceed 4 MB (4194304 bytes); this request is 5000000 bytes" }),
            "TransactWriteItems failed (the client gives up): ValidationException: Transaction request size cannot "
            "exceed 4 MB (4194304 bytes); this request is 5000000 bytes" },
    };
}

} // namespace

class TestRunEvent : public QObject {
    Q_OBJECT

private slots:
    void renderer_data()
    {
        QTest::addColumn<RunEvent>("event");
        QTest::addColumn<QString>("text");
        for (const auto& row : rows())
            QTest::addRow("%s", row.name) << row.event << QString::fromUtf8(row.text);
    }

    void renderer()
    {
        QFETCH(RunEvent, event);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(eventText(event)), text);
    }

    void kindNames()
    {
        for (const char* name : { "scaleOut", "scaleIn", "capacityChanged", "partitionSplit", "eventApplied",
                 "eventRefused", "throttleStart", "throttleEnd", "modeSwitch", "indexCreating", "indexActive",
                 "indexDeleted", "requestFailed" }) {
            const auto kind = parseEventKind(name);
            QVERIFY2(kind, name);
            QCOMPARE(std::string(eventKindName(*kind)), std::string(name));
        }
        QVERIFY(!parseEventKind("scaleout"));
    }

    void dimensionAndTarget()
    {
        const auto all = rows();
        QCOMPARE(eventDimension(all[0].event), std::optional<Dimension>(Dimension::Write));
        QCOMPARE(eventTarget(all[0].event), std::optional<std::int64_t>(15));
        QCOMPARE(eventTarget(all[3].event), std::optional<std::int64_t>(2));
        QCOMPARE(eventDimension(all[3].event), std::optional<Dimension>());
        // A refused decision concerns its dimension but sets nothing.
        QCOMPARE(eventDimension(all[17].event), std::optional<Dimension>(Dimension::Write));
        QCOMPARE(eventTarget(all[17].event), std::optional<std::int64_t>());
    }

    // Every payload survives run.sqlite: a reopened run has the same kinds, payloads and text.
    void roundTripThroughResultsDatabase()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("run.sqlite").toStdString();
        RunResult run;
        run.scenario = "events";
        for (const auto& row : rows())
            run.events.push_back(row.event);
        QVERIFY(writeResultsDatabase(path, run, "{}", "{}"));
        auto reopened = readResultsDatabase(path);
        QVERIFY2(reopened, reopened ? "" : reopened.status().message().c_str());
        QCOMPARE(reopened->events.size(), run.events.size());
        for (std::size_t i = 0; i < run.events.size(); ++i) {
            const RunEvent& before = run.events[i];
            const RunEvent& after = reopened->events[i];
            QCOMPARE(after.timeSeconds, before.timeSeconds);
            QCOMPARE(after.table, before.table);
            QVERIFY(after.kind == before.kind);
            QCOMPARE(after.payload.index(), before.payload.index());
            QCOMPARE(eventPayloadJson(after.payload), eventPayloadJson(before.payload));
            QCOMPARE(eventText(after), eventText(before));
        }
        const auto& scaling = std::get<ScalingDecision>(reopened->events[1].payload);
        QCOMPARE(scaling.meanUnitsPerSecond, 99.5);
        QCOMPARE(scaling.toUnits, std::int64_t(143));
        QVERIFY(std::get<PartitionCountChange>(reopened->events[4].payload).forHeat);
        const auto& refusal = std::get<ChangeRefused>(reopened->events[18].payload);
        QVERIFY(refusal.update && refusal.update->billingMode == BillingMode::Provisioned);
    }

    void badPayloadIsAnError()
    {
        QVERIFY(!parseEventPayload(EventKind::ScaleOut, "not json"));
        QVERIFY(!parseEventPayload(EventKind::ScaleOut, R"({"dimension":"up","from":1,"to":2})"));
        QVERIFY(!parseEventPayload(EventKind::ModeSwitch, R"({"billingMode":"FREE"})"));
    }
};

QTEST_GUILESS_MAIN(TestRunEvent)
#include "tst_run_event.moc"

// The admission rules of reference A3, step by step, on the CapacityModel alone.

#include "simulator/capacity_model.h"

#include <QtTest>

using namespace capsim;

namespace {

CapacityModel oneTable(double read, double write, std::size_t partitions, ModelSpec model = {})
{
    CapacityModel m(model, 0);
    std::vector<CapacityModel::PartitionRange> ranges;
    const std::uint64_t step = UINT64_MAX / partitions;
    for (std::size_t i = 0; i < partitions; ++i)
        ranges.push_back({ static_cast<std::int64_t>(i), i * step, i + 1 == partitions ? UINT64_MAX : (i + 1) * step - 1 });
    m.setPartitions(ranges, 0);
    m.setTableRates(read, write, 0);
    return m;
}

// Offers `rate` requests/s of `units` each to a partition, uniformly (t = k / rate), for
// `seconds`; returns how many were admitted.
std::int64_t offer(CapacityModel& m, std::size_t partition, Dimension d, double rate, double units, SimTime from,
    double seconds)
{
    std::int64_t admitted = 0;
    const auto n = static_cast<std::int64_t>(rate * seconds);
    for (std::int64_t k = 0; k < n; ++k) {
        const SimTime t = from + static_cast<SimTime>(std::llround(static_cast<double>(k) * 1e6 / rate));
        if (m.admit(partition, d, t)) {
            m.charge(partition, d, units, t);
            ++admitted;
        }
    }
    return admitted;
}

} // namespace

class TestCapacityModel : public QObject {
    Q_OBJECT
private slots:
    void belowCapacityNothingThrottled()
    {
        auto m = oneTable(100, 100, 1);
        QCOMPARE(offer(m, 0, Dimension::Write, 80, 1, 0, 600), std::int64_t(48000));
    }

    void burstAbsorbsExactlyItsStoredUnits()
    {
        // 100 WCU, burst full at start: 100 x 300 s = 30,000 stored units, plus the allocated
        // bucket's full second (100). Offering 300 writes/s for 200 s, the partition admits its
        // refill (100 x 200) plus everything stored: 20,000 + 30,000 + 100 = 50,100.
        ModelSpec model;
        model.adaptiveCapacity = false;
        auto m = oneTable(100, 100, 1, model);
        const std::int64_t admitted = offer(m, 0, Dimension::Write, 300, 1, 0, 200);
        QVERIFY2(std::abs(admitted - (100 * 200 + 30000 + 100)) <= 2, qPrintable(QString::number(admitted)));
    }

    void emptyBurstAtStart()
    {
        ModelSpec model;
        model.burstAtStartFull = false;
        model.adaptiveCapacity = false;
        auto m = oneTable(100, 100, 1, model);
        // Only the allocated bucket: 100 units/s, plus the initial full second.
        const std::int64_t admitted = offer(m, 0, Dimension::Write, 300, 1, 0, 60);
        QVERIFY2(std::abs(admitted - (100 * 60 + 100)) <= 2, qPrintable(QString::number(admitted)));
    }

    void hardLimitCapsAHotPartition()
    {
        // A partition never serves more than 1,000 writes/s, whatever the table's capacity.
        auto m = oneTable(40000, 40000, 1);
        const std::int64_t admitted = offer(m, 0, Dimension::Write, 1500, 1, 0, 60);
        // 1,000/s plus the hard bucket's initial second.
        QVERIFY2(std::abs(admitted - (1000 * 60 + 1000)) <= 2, qPrintable(QString::number(admitted)));
    }

    void adaptiveCapacityLendsTableSpare()
    {
        // 400 WCU over 4 partitions (100 each): partition 3 at 150/s is sustained when adaptive
        // capacity lends the table's unused capacity (reference C 3.4 example).
        ModelSpec model;
        model.burstSeconds = 0;
        auto m = oneTable(400, 400, 4, model);
        QCOMPARE(offer(m, 3, Dimension::Write, 150, 1, 0, 120), std::int64_t(150 * 120));
        ModelSpec off = model;
        off.adaptiveCapacity = false;
        auto n = oneTable(400, 400, 4, off);
        const std::int64_t admitted = offer(n, 3, Dimension::Write, 150, 1, 0, 120);
        QVERIFY2(std::abs(admitted - (100 * 120 + 100)) <= 2, qPrintable(QString::number(admitted)));
    }

    void chargesAfterTheFact()
    {
        // A request is admitted on a positive bucket and charged its full units: a 10-unit
        // request on 1 unit/s drives the bucket to -9, and the next waits about 9 s.
        ModelSpec model;
        model.burstSeconds = 0;
        model.adaptiveCapacity = false;
        auto m = oneTable(1, 1, 1, model);
        QVERIFY(m.admit(0, Dimension::Write, 0));
        m.charge(0, Dimension::Write, 10, 0);
        QVERIFY(!m.admit(0, Dimension::Write, 8 * kSimSecond));
        QVERIFY(m.admit(0, Dimension::Write, 9 * kSimSecond + 1));
    }

    void linearRuleSharesTheLimit()
    {
        ModelSpec model;
        model.partitionLimitRule = PartitionLimitRule::Linear;
        auto m = oneTable(40000, 40000, 1, model);
        // 1,500 reads/s use half the partition (1500/3000); writes get the other half: 500/s.
        std::int64_t writes = 0;
        for (int k = 0; k < 60 * 1500; ++k) {
            const SimTime t = static_cast<SimTime>(std::llround(k * 1e6 / 1500.0));
            if (m.admit(0, Dimension::Read, t))
                m.charge(0, Dimension::Read, 1, t);
            if (k % 3 == 0 && m.admit(0, Dimension::Write, t)) {
                m.charge(0, Dimension::Write, 1, t);
                ++writes;
            }
        }
        QVERIFY2(writes > 500 * 60 * 0.9 && writes <= 500 * 60 + 1000, qPrintable(QString::number(writes)));
    }

    void splitHalvesAllocation()
    {
        ModelSpec model;
        model.burstSeconds = 0;
        model.adaptiveCapacity = false;
        auto m = oneTable(200, 200, 1, model);
        m.setPartitions({ { 1, 0, UINT64_MAX / 2 }, { 2, UINT64_MAX / 2 + 1, UINT64_MAX } }, 0);
        m.setTableRates(200, 200, 0);
        // Throughput dilution: each child now has 100 units/s.
        const std::int64_t admitted = offer(m, 0, Dimension::Write, 150, 1, kSimSecond, 60);
        QVERIFY2(std::abs(admitted - (100 * 60 + 100)) <= 3, qPrintable(QString::number(admitted)));
    }
};

QTEST_GUILESS_MAIN(TestCapacityModel)
#include "tst_capacity_model.moc"

// Capacity units from sizes, the one metering module (reference A1-A2, part B vectors).
#include "engine/metering.h"

#include <QtTest>

using capsim::Consistency;

class TestMetering : public QObject {
    Q_OBJECT

private slots:
    // Read units of one item: strong ceil(size / 4 KB), a missing item as 1 byte; eventual is
    // half, transactional double (reference A2, part B).
    void readUnits_data()
    {
        QTest::addColumn<qint64>("sizeBytes");
        QTest::addColumn<double>("strong");
        QTest::addColumn<double>("eventual");
        QTest::addColumn<double>("transactional");
        QTest::addRow("rule: missing item, 1 / 0.5") << qint64(0) << 1.0 << 0.5 << 2.0;
        QTest::addRow("rule: 1 byte") << qint64(1) << 1.0 << 0.5 << 2.0;
        QTest::addRow("B: 4,096 bytes, 1") << qint64(4096) << 1.0 << 0.5 << 2.0;
        QTest::addRow("B: 4,097 bytes, 2") << qint64(4097) << 2.0 << 1.0 << 4.0;
        QTest::addRow("B: 4,096-byte name + value, 2") << qint64(4096 + 1) << 2.0 << 1.0 << 4.0;
        QTest::addRow("B: 68 KB, 17") << qint64(68 * 1024) << 17.0 << 8.5 << 34.0;
        QTest::addRow("B: 20 KB, 5") << qint64(20 * 1024) << 5.0 << 2.5 << 10.0;
        QTest::addRow("rule: 400 KB") << qint64(409600) << 100.0 << 50.0 << 200.0;
    }
    void readUnits()
    {
        QFETCH(qint64, sizeBytes);
        QFETCH(double, strong);
        QFETCH(double, eventual);
        QFETCH(double, transactional);
        QCOMPARE(double(capsim::strongReadUnits(sizeBytes)), strong);
        QCOMPARE(capsim::readUnits(sizeBytes, Consistency::Strong), strong);
        QCOMPARE(capsim::readUnits(sizeBytes, Consistency::Eventual), eventual);
        QCOMPARE(capsim::readUnits(sizeBytes, Consistency::Transactional), transactional);
        QCOMPARE(capsim::transactionalReadUnits(sizeBytes), transactional);
    }

    // A Query/Scan page: sizes summed over the page, then rounded once to 4 KB, at least one
    // strong unit per partition touched (reference A2, part B).
    void pageReadUnits_data()
    {
        QTest::addColumn<qint64>("pageBytes");
        QTest::addColumn<qint64>("minimumStrongUnits");
        QTest::addColumn<double>("strong");
        QTest::addColumn<double>("eventual");
        QTest::addRow("rule: empty page, 1 / 0.5") << qint64(0) << qint64(1) << 1.0 << 0.5;
        QTest::addRow("B: 10 items, 40.8 KB, 11") << qint64(41779) << qint64(1) << 11.0 << 5.5;
        QTest::addRow("B: 1,500 x 64 bytes, 24") << qint64(1500 * 64) << qint64(1) << 24.0 << 12.0;
        QTest::addRow("B: Scan of one item, 4 partitions, 4 / 2") << qint64(100) << qint64(4) << 4.0 << 2.0;
        QTest::addRow("rule: bytes over the partition minimum") << qint64(5 * 4096 + 1) << qint64(4) << 6.0 << 3.0;
    }
    void pageReadUnits()
    {
        QFETCH(qint64, pageBytes);
        QFETCH(qint64, minimumStrongUnits);
        QFETCH(double, strong);
        QFETCH(double, eventual);
        QCOMPARE(capsim::pageReadUnits(pageBytes, Consistency::Strong, minimumStrongUnits), strong);
        QCOMPARE(capsim::pageReadUnits(pageBytes, Consistency::Eventual, minimumStrongUnits), eventual);
    }

    // Summed then rounded once (a page) differs from rounded per item (BatchGetItem, part B).
    void roundedOnceVersusPerItem()
    {
        const qint64 item = 4178; // ten of them: 41,780 bytes
        QCOMPARE(capsim::pageReadUnits(10 * item, Consistency::Strong), 11.0);
        QCOMPARE(10 * capsim::readUnits(item, Consistency::Strong), 20.0);
        QCOMPARE(capsim::readUnits(68 * 1024, Consistency::Strong) + capsim::readUnits(20 * 1024, Consistency::Strong),
            22.0);
    }

    // Write units: max(1, ceil(size / 1 KB)); Put/Update bill the larger of before and after,
    // Delete the deleted item, a missing item 1 (reference A2, part B).
    void writeUnits_data()
    {
        QTest::addColumn<qint64>("oldBytes");
        QTest::addColumn<qint64>("newBytes");
        QTest::addColumn<qint64>("units");
        QTest::addRow("B: put 1,024 bytes, 1") << qint64(0) << qint64(1024) << qint64(1);
        QTest::addRow("B: put 1,025 bytes, 2") << qint64(0) << qint64(1025) << qint64(2);
        QTest::addRow("B: delete of a missing item, 1") << qint64(0) << qint64(0) << qint64(1);
        QTest::addRow("rule: delete bills the old item") << qint64(3000) << qint64(0) << qint64(3);
        QTest::addRow("rule: update bills the larger, old") << qint64(5000) << qint64(100) << qint64(5);
        QTest::addRow("rule: update bills the larger, new") << qint64(100) << qint64(5000) << qint64(5);
        QTest::addRow("rule: 400 KB") << qint64(0) << qint64(409600) << qint64(400);
    }
    void writeUnits()
    {
        QFETCH(qint64, oldBytes);
        QFETCH(qint64, newBytes);
        QFETCH(qint64, units);
        QCOMPARE(qint64(capsim::itemWriteUnits(oldBytes, newBytes)), units);
        QCOMPARE(qint64(capsim::writeUnits(std::max(oldBytes, newBytes))), units);
        QCOMPARE(capsim::transactionalWriteUnits(std::max(oldBytes, newBytes)), 2.0 * double(units));
    }

    // Transactional x2: two small Puts in one TransactWriteItems cost 4 WCU (part B).
    void transactionalFactor()
    {
        QCOMPARE(capsim::kTransactionalFactor, 2.0);
        QCOMPARE(capsim::transactionalWriteUnits(10) + capsim::transactionalWriteUnits(20), 4.0);
        QCOMPARE(capsim::transactionalReadUnits(0), 2.0);
    }

    // Index upkeep per index (reference A2, C 2.5): new entry and removal each the entry's units,
    // a key change a removal plus a new entry, a projection change the larger entry.
    void indexEntryUnits_data()
    {
        QTest::addColumn<qint64>("beforeBytes"); // -1: no entry before
        QTest::addColumn<qint64>("afterBytes"); // -1: no entry after
        QTest::addColumn<bool>("sameKey");
        QTest::addColumn<qint64>("units");
        QTest::addRow("rule: new entry") << qint64(-1) << qint64(1500) << false << qint64(2);
        QTest::addRow("rule: removal") << qint64(700) << qint64(-1) << false << qint64(1);
        QTest::addRow("rule: key change = delete + put") << qint64(100) << qint64(100) << false << qint64(2);
        QTest::addRow("rule: key change, sized each") << qint64(3000) << qint64(100) << false << qint64(4);
        QTest::addRow("rule: projection change, larger") << qint64(100) << qint64(2100) << true << qint64(3);
    }
    void indexEntryUnits()
    {
        QFETCH(qint64, beforeBytes);
        QFETCH(qint64, afterBytes);
        QFETCH(bool, sameKey);
        QFETCH(qint64, units);
        std::int64_t total = 0;
        if (sameKey) {
            total = capsim::indexEntryUpdateUnits(beforeBytes, afterBytes);
        } else {
            if (beforeBytes >= 0)
                total += capsim::indexEntryWriteUnits(beforeBytes);
            if (afterBytes >= 0)
                total += capsim::indexEntryWriteUnits(afterBytes);
        }
        QCOMPARE(qint64(total), units);
    }
};

QTEST_GUILESS_MAIN(TestMetering)
#include "tst_metering.moc"

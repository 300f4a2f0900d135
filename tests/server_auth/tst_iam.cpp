#include <QtTest>
class Placeholder : public QObject {
    Q_OBJECT
private slots:
    void nothing() { QFAIL("not written yet"); }
};
QTEST_GUILESS_MAIN(Placeholder)
#include "tst_iam.moc"

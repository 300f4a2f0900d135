#pragma once
// What the workload previews show, computed from the scenario being edited: the rate of a rate
// pattern over the run (rateAt() of the parsed pattern) and how a workload's keys spread over
// the target table's initial partitions (KeySampler draws hashed like the engine). Pure
// functions of their arguments; callable from any thread.

#include <QJsonObject>
#include <QList>
#include <QPointF>
#include <QString>

namespace capsim::studio {

struct RatePreviewData {
    QList<QPointF> points; // x: time in `timeUnit` from t = 0; y: requests per second
    QString timeUnit; // "s", "min", "h" or "d"
    double runLength = 0; // the run's duration in `timeUnit`
    QString error; // why there is no preview (the loader's message), empty otherwise
};

// The rate of `pattern` over the scenario's duration. Piecewise-constant patterns give exact
// steps (a point at both sides of every change); others are sampled, changes included.
// `baseDirectory` resolves a trace file.
RatePreviewData computeRatePreview(
    const QJsonObject& scenario, const QJsonValue& pattern, const QString& baseDirectory);

struct PartitionPreviewData {
    QList<double> sharePercent; // per partition, in hash order
    int sampledKeys = 0;
    QString tableName;
    QString note; // how the partition count was found
    QString error;
};

// Shares of `sampledKeys` partition-key draws of workloads[workloadIndex] per partition of its
// table at t = 0: throughputPartitions / onDemandPartitions equal hash ranges, doubled while
// the initial data would exceed the partition size.
PartitionPreviewData computePartitionPreview(
    const QJsonObject& scenario, int workloadIndex, const QString& baseDirectory, int sampledKeys = 20000);

} // namespace capsim::studio

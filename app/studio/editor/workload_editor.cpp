#include "app/studio/editor/workload_editor.h"

#include "app/studio/charts/preview_charts.h"
#include "app/studio/editor/scenario_forms.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace capsim::studio {

WorkloadEditor::WorkloadEditor(QWidget* parent)
    : JsonEditor(parent)
    , m_form(makeWorkloadForm())
    , m_rate(new RatePreviewChart)
    , m_partitions(new PartitionPreviewChart)
    , m_partitionNote(new QLabel)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* splitter = new QSplitter(Qt::Horizontal);
    layout->addWidget(splitter);

    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new FormPage;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(4, 4, 8, 8);
    contentLayout->addWidget(m_form);
    contentLayout->addStretch(1);
    scroll->setWidget(content);
    splitter->addWidget(scroll);

    auto* previews = new QWidget;
    auto* column = new QVBoxLayout(previews);
    column->setContentsMargins(6, 0, 0, 0);
    column->addWidget(m_rate, 1);
    column->addWidget(m_partitions, 1);
    m_partitionNote->setWordWrap(true);
    m_partitionNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(m_partitionNote);
    splitter->addWidget(previews);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({ 640, 460 });
    previews->setMinimumWidth(380);

    connect(m_form, &JsonEditor::edited, this, &JsonEditor::edited);
}

void WorkloadEditor::updateTableOptions(const QJsonObject& scenario, const QJsonObject& workload)
{
    // The target table ("<table>/<index>" queries its base table's replicas and cluster).
    const QString target = workload.value(QStringLiteral("table")).toString().section(QLatin1Char('/'), 0, 0);
    QJsonObject table;
    for (const QJsonValue& t : scenario.value(QStringLiteral("tables")).toArray())
        if (t.toObject().value(QStringLiteral("name")).toString() == target)
            table = t.toObject();
    QString home = scenario.value(QStringLiteral("region")).toString();
    if (home.isEmpty())
        home = QStringLiteral("us-east-1");
    QStringList regions { home };
    for (const QJsonValue& r : table.value(QStringLiteral("replicas")).toArray())
        if (r.isString() && !regions.contains(r.toString()))
            regions << r.toString();
    if (auto* region = qobject_cast<RegionField*>(m_form->child(QStringLiteral("region"))))
        region->setRegions(regions);
    // Each switch is shown when the table has the feature, or when the workload sets it anyway.
    m_form->setRowHidden(QStringLiteral("region"), regions.size() < 2 && !workload.contains(QStringLiteral("region")));
    m_form->setRowHidden(QStringLiteral("dax"), !table.contains(QStringLiteral("dax")) && !workload.contains(QStringLiteral("dax")));
}

void WorkloadEditor::load(const QJsonValue& value)
{
    m_form->load(value);
}

QJsonValue WorkloadEditor::save() const
{
    return m_form->save();
}

QWidget* WorkloadEditor::widgetAt(const JsonPath& path, qsizetype from)
{
    return m_form->widgetAt(path, from);
}

void WorkloadEditor::assignPaths(const QString& path)
{
    setObjectName(path + QStringLiteral("#workload"));
    m_form->assignPaths(path);
}

void WorkloadEditor::updatePreviews(const QJsonObject& scenario, int index, const QString& baseDirectory)
{
    const QJsonObject workload = scenario.value(QStringLiteral("workloads")).toArray().at(index).toObject();
    updateTableOptions(scenario, workload);
    m_rate->setData(computeRatePreview(scenario, workload.value(QStringLiteral("rate")), baseDirectory));
    const PartitionPreviewData partitions = computePartitionPreview(scenario, index, baseDirectory);
    m_partitions->setData(partitions);
    if (!partitions.error.isEmpty() || partitions.sharePercent.isEmpty()) {
        m_partitionNote->clear();
        return;
    }
    const auto hottest = std::max_element(partitions.sharePercent.begin(), partitions.sharePercent.end());
    const double even = 100.0 / static_cast<double>(partitions.sharePercent.size());
    m_partitionNote->setText(tr("%1; %2 requests drawn from the key distribution. Hottest partition P%3 takes "
                                "%4 % of requests (an even share is %5 %). Each partition serves at most 3000 RCU / "
                                "1000 WCU per second.")
                                 .arg(partitions.note)
                                 .arg(partitions.sampledKeys)
                                 .arg(hottest - partitions.sharePercent.begin())
                                 .arg(*hottest, 0, 'f', 1)
                                 .arg(even, 0, 'f', 1));
}

} // namespace capsim::studio

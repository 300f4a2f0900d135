#include "app/studio/charts/preview_charts.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>

namespace capsim::studio {

namespace {

QChart* makeChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    QFont font = chart->titleFont();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.05);
    chart->setTitleFont(font);
    chart->setTitle(title);
    return chart;
}

} // namespace

RatePreviewChart::RatePreviewChart(QWidget* parent)
    : QChartView(parent)
    , m_series(new QLineSeries)
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
{
    setObjectName(QStringLiteral("ratePreview"));
    QChart* c = makeChart(tr("Request rate over the run"));
    c->addSeries(m_series);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);
    m_series->attachAxis(m_x);
    m_series->attachAxis(m_y);
    QPen pen(QColor(0x1f, 0x6f, 0xb5));
    pen.setWidthF(2);
    m_series->setPen(pen);
    c->legend()->hide();
    m_y->setTitleText(tr("requests/s"));
    m_y->setLabelFormat(QStringLiteral("%.4g"));
    m_x->setLabelFormat(QStringLiteral("%.4g"));
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(240);
}

void RatePreviewChart::setData(const RatePreviewData& data)
{
    m_data = data;
    m_series->replace(data.points);
    double top = 0;
    for (const auto& p : data.points)
        top = std::max(top, p.y());
    m_y->setRange(0, top > 0 ? top * 1.12 : 1);
    m_y->applyNiceNumbers();
    m_x->setRange(0, data.runLength > 0 ? data.runLength : 1);
    m_x->setTitleText(tr("time since start (%1)").arg(data.timeUnit.isEmpty() ? QStringLiteral("s") : data.timeUnit));
    chart()->setTitle(data.error.isEmpty() ? tr("Request rate over the run (peak %1 requests/s)").arg(top, 0, 'g', 4)
                                           : tr("No preview: %1").arg(data.error));
    chart()->setTitleBrush(data.error.isEmpty() ? palette().text() : QBrush(QColor(0xc6, 0x28, 0x28)));
}

PartitionPreviewChart::PartitionPreviewChart(QWidget* parent)
    : QChartView(parent)
    , m_normal(new QBarSet(tr("share of requests")))
    , m_hot(new QBarSet(tr("hotter than 1.5 × an even share")))
    , m_x(new QBarCategoryAxis)
    , m_y(new QValueAxis)
{
    setObjectName(QStringLiteral("partitionPreview"));
    QChart* c = makeChart(tr("Share of requests per partition"));
    auto* series = new QStackedBarSeries;
    m_normal->setColor(QColor(0x1f, 0x6f, 0xb5));
    m_hot->setColor(QColor(0xd8, 0x43, 0x15));
    series->append(m_normal);
    series->append(m_hot);
    series->setBarWidth(0.8);
    c->addSeries(series);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);
    series->attachAxis(m_x);
    series->attachAxis(m_y);
    m_y->setTitleText(tr("% of requests"));
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_x->setTitleText(tr("partition (hash order)"));
    c->legend()->setAlignment(Qt::AlignBottom);
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(240);
}

void PartitionPreviewChart::setData(const PartitionPreviewData& data)
{
    m_data = data;
    m_normal->remove(0, m_normal->count());
    m_hot->remove(0, m_hot->count());
    const qsizetype n = data.sharePercent.size();
    const double even = n > 0 ? 100.0 / static_cast<double>(n) : 0;
    QStringList categories;
    double top = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const double share = data.sharePercent[i];
        const bool hot = n > 1 && share > 1.5 * even;
        m_normal->append(hot ? 0.0 : share);
        m_hot->append(hot ? share : 0.0);
        categories << (n <= 24 ? QStringLiteral("P%1").arg(i) : QString::number(i));
        top = std::max(top, share);
    }
    m_x->clear();
    m_x->append(categories);
    m_y->setRange(0, top > 0 ? std::min(100.0, top * 1.15) : 100);
    m_y->applyNiceNumbers();
    if (!data.error.isEmpty()) {
        chart()->setTitle(tr("No preview: %1").arg(data.error));
        chart()->setTitleBrush(QBrush(QColor(0xc6, 0x28, 0x28)));
        return;
    }
    chart()->setTitleBrush(palette().text());
    chart()->setTitle(n == 1 ? tr("Requests per partition of %1 (1 partition at t = 0)").arg(data.tableName)
                             : tr("Requests per partition of %1 (%2 partitions at t = 0)").arg(data.tableName).arg(n));
}

double PartitionPreviewChart::drawnShare(int partition) const
{
    if (partition < 0 || partition >= m_normal->count())
        return 0;
    return m_normal->at(partition) + m_hot->at(partition);
}

} // namespace capsim::studio

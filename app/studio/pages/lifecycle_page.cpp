#include "app/studio/pages/lifecycle_page.h"

#include "app/studio/charts/decimated_series.h"
#include "app/studio/charts/time_axis.h"
#include "app/studio/models/cost_breakdown_model.h"
#include "app/studio/models/display_format.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>

namespace capsim::studio {

using charts::DecimatedSeries;
using charts::ZoomChartView;

namespace {

const QMargins kChartMargins(2, 2, 24, 2);

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QString requestName(ChangeRefused::Request request)
{
    switch (request) {
    case ChangeRefused::Request::UpdateTimeToLive: return QStringLiteral("UpdateTimeToLive");
    case ChangeRefused::Request::CreateBackup: return QStringLiteral("CreateBackup");
    case ChangeRefused::Request::RestoreTable: return QStringLiteral("RestoreTable");
    case ChangeRefused::Request::ExportTable: return QStringLiteral("ExportTable");
    case ChangeRefused::Request::ImportTable: return QStringLiteral("ImportTable");
    default: return {};
    }
}

// A byte count in the largest unit that keeps it >= 1 ("1.5 MB"; decimal units, as DynamoDB bills).
QString formatBytes(double bytes)
{
    static const char* const units[] = { "bytes", "KB", "MB", "GB", "TB" };
    int unit = 0;
    while (std::abs(bytes) >= 1000 && unit < 4) {
        bytes /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(formatNumber(bytes, unit == 0 ? 0 : 2), QLatin1String(units[unit]));
}

// A table no taller than its rows (up to 12), so the summary above it keeps the room.
void fitHeight(QTableWidget* table)
{
    const int rows = std::clamp(table->rowCount(), 1, 12);
    table->setMaximumHeight(table->horizontalHeader()->sizeHint().height() + rows * table->verticalHeader()->defaultSectionSize()
        + 2 * table->frameWidth() + (table->rowCount() > 12 ? 0 : 2) + table->horizontalScrollBar()->sizeHint().height());
}

void setAxisTop(QValueAxis* axis, double top)
{
    axis->setRange(0, top > 0 ? top * 1.1 : 1.0);
    axis->applyNiceNumbers();
}

// A chart over the run's minutes with a left and (optionally) a right value axis.
struct Panel {
    QChart* chart = nullptr;
    ZoomChartView* view = nullptr;
    QMarginsF extra; // added to the margins so every panel's plot spans the same x range
    charts::TimeAxis* time = nullptr;
    QValueAxis* left = nullptr;
    QValueAxis* right = nullptr;
    std::vector<DecimatedSeries> series;

    QLineSeries* addSeries(const QString& objectName, const QString& name, QColor colour, bool onRight, double width = 1.5)
    {
        auto* line = new QLineSeries;
        line->setObjectName(objectName);
        line->setName(name);
        QPen pen(colour);
        pen.setWidthF(width);
        line->setPen(pen);
        chart->addSeries(line);
        line->attachAxis(time);
        line->attachAxis(onRight ? right : left);
        series.emplace_back(line);
        return line;
    }
};

} // namespace

std::vector<ZoomChartView::Marker> lifecycleMarkers(const RunResult& run, const TableResult& table)
{
    std::vector<ZoomChartView::Marker> markers;
    const auto movement = [&](const std::vector<DataMovement>& list, const QString& what, QColor colour) {
        for (const DataMovement& m : list) {
            QString tip = QStringLiteral("%1 %2: %3, %4, %5 items").arg(what, q(m.name), q(m.status),
                formatBytes(static_cast<double>(m.sizeBytes)), formatNumber(static_cast<double>(m.itemCount), 0));
            if (!m.detail.empty())
                tip += QStringLiteral(" (%1)").arg(q(m.detail));
            tip += QStringLiteral(", cost %1").arg(formatMoney(m.cost, q(run.currency)));
            markers.push_back({ m.timeSeconds / 60.0, QStringLiteral("%1 %2").arg(what, q(m.name)).left(28), colour, tip });
        }
    };
    movement(table.backups, QStringLiteral("backup"), QColor(0x2c, 0xa0, 0x2c));
    movement(table.restores, QStringLiteral("restore"), QColor(0x17, 0x9c, 0xb0));
    movement(table.exports, QStringLiteral("export"), QColor(0x94, 0x67, 0xbd));
    movement(table.imports, QStringLiteral("import"), QColor(0x8c, 0x56, 0x4b));
    for (const RunEvent& e : run.events) {
        if (e.table != table.name)
            continue;
        const QString tip = QStringLiteral("%1: %2").arg(q(std::string(eventKindName(e.kind))), q(eventText(e)));
        if (const auto* ttl = std::get_if<TimeToLiveUpdated>(&e.payload)) {
            markers.push_back({ e.timeSeconds / 60.0,
                (ttl->enabled ? QStringLiteral("TTL on %1") : QStringLiteral("TTL off %1")).arg(q(ttl->attribute)).left(28),
                QColor(0xe0, 0x7b, 0x00), tip });
        } else if (const auto* refused = std::get_if<ChangeRefused>(&e.payload)) {
            const QString name = requestName(refused->request);
            if (!name.isEmpty())
                markers.push_back({ e.timeSeconds / 60.0, QStringLiteral("refused %1").arg(name).left(28),
                    QColor(0xa0, 0x18, 0x18), tip });
        }
    }
    std::stable_sort(markers.begin(), markers.end(), [](const auto& a, const auto& b) { return a.x < b.x; });
    return markers;
}

bool usesLifecycleFeatures(const TableResult& table)
{
    const DataFeatureUse& u = table.uses;
    return table.ttl || table.streams || u.streams || u.pitr || u.backups || u.restore || u.dataExport || u.dataImport
        || !table.backups.empty() || !table.restores.empty() || !table.exports.empty() || !table.imports.empty()
        || table.cost.dataFeatures() != 0;
}

struct LifecyclePage::Private {
    LifecyclePage* page = nullptr;
    capsim::appcore::RunSnapshot run;
    QComboBox* tables = nullptr;
    QLabel* uses = nullptr;
    QLabel* hover = nullptr;
    Panel storage, stream, cost;
    std::vector<Panel*> panels;
    bool syncing = false;
    bool alignPending = false;
    QLabel* summary = nullptr;
    QLabel* consumersCaption = nullptr;
    QTableWidget* consumers = nullptr;
    QLabel* movementsCaption = nullptr;
    QTableWidget* movements = nullptr;

    const TableResult* table() const
    {
        if (!run)
            return nullptr;
        const int i = tables->currentIndex();
        return i >= 0 && i < static_cast<int>(run->tables.size()) ? &run->tables[static_cast<std::size_t>(i)] : nullptr;
    }

    void makePanel(Panel& panel, const QString& objectName, const QString& title, const QString& leftTitle,
        const QString& rightTitle)
    {
        panel.chart = new QChart;
        panel.chart->setTitle(title);
        panel.chart->legend()->setAlignment(Qt::AlignTop);
        panel.chart->setMargins(kChartMargins);
        panel.chart->setAnimationOptions(QChart::NoAnimation);
        panel.time = new charts::TimeAxis;
        panel.left = new QValueAxis;
        panel.left->setTitleText(leftTitle);
        panel.left->setLabelFormat(QStringLiteral("%g"));
        panel.chart->addAxis(panel.time, Qt::AlignBottom);
        panel.chart->addAxis(panel.left, Qt::AlignLeft);
        if (!rightTitle.isEmpty()) {
            panel.right = new QValueAxis;
            panel.right->setTitleText(rightTitle);
            panel.right->setLabelFormat(QStringLiteral("%g"));
            panel.chart->addAxis(panel.right, Qt::AlignRight);
        }
        panel.view = new ZoomChartView(panel.chart);
        panel.view->setObjectName(objectName);
        panel.view->setMinimumHeight(200);
        panels.push_back(&panel);
        Panel* self = &panel;
        // The panels' plot areas line up (their left axes' labels differ in width), so one
        // moment is at the same x in each.
        QObject::connect(panel.chart, &QChart::plotAreaChanged, page, [this] {
            if (alignPending)
                return;
            alignPending = true;
            QMetaObject::invokeMethod(page, [this] { alignPlotAreas(); }, Qt::QueuedConnection);
        });
        QObject::connect(panel.view, &ZoomChartView::xRangeChanged, page, [this, self](double lo, double hi) {
            for (const auto& s : self->series)
                s.show(lo, hi);
            if (syncing)
                return;
            syncing = true;
            for (Panel* other : panels)
                if (other != self)
                    other->view->setXRange(lo, hi, self->view->isZoomed());
            syncing = false;
        });
        QObject::connect(panel.view, &ZoomChartView::clicked, page, [this](double x) { emit page->timeSelected(x * 60); });
        QObject::connect(panel.view, &ZoomChartView::hovered, page, [this, self](double x) {
            for (Panel* other : panels)
                if (other != self)
                    other->view->setHoverX(x);
            showHover(x);
        });
        QObject::connect(panel.view, &ZoomChartView::left, page, [this, self] {
            for (Panel* other : panels)
                if (other != self)
                    other->view->setHoverX(std::nullopt);
        });
    }

    void showHover(double x)
    {
        const TableResult* t = table();
        if (!t)
            return;
        const auto minute = static_cast<std::int64_t>(std::floor(x));
        const auto it = std::lower_bound(t->minutes.begin(), t->minutes.end(), minute,
            [](const MinuteRow& r, std::int64_t m) { return r.minute < m; });
        if (it == t->minutes.end() || it->minute != minute)
            return;
        QStringList parts;
        parts << LifecyclePage::tr("<b>%1</b>").arg(formatClock(static_cast<double>(minute) * 60, run->simulatedSeconds, false));
        parts << LifecyclePage::tr("storage %1").arg(formatBytes(static_cast<double>(it->storageBytes)));
        if (t->ttl)
            parts << LifecyclePage::tr("%1 TTL deletions").arg(formatNumber(static_cast<double>(it->ttlDeletions), 0));
        if (t->streams)
            parts << LifecyclePage::tr("%1 stream records, %2 reads, lag %3 s")
                         .arg(formatNumber(static_cast<double>(it->streamRecords), 0),
                             formatNumber(static_cast<double>(it->streamReadRequests), 0),
                             formatNumber(it->consumerLagSeconds, 1));
        parts << LifecyclePage::tr("data features to date %1").arg(formatMoney(it->dataCostToDate, q(run->currency)));
        hover->setText(parts.join(QStringLiteral(" · ")));
    }

    void alignPlotAreas()
    {
        alignPending = false;
        double left = 0, right = 0;
        const auto natural = [](const Panel& panel) {
            const QRectF plot = panel.chart->plotArea();
            return std::pair(plot.left() - panel.extra.left(), panel.chart->size().width() - plot.right() - panel.extra.right());
        };
        std::vector<Panel*> shown;
        for (Panel* p : panels)
            if (!p->view->isHidden())
                shown.push_back(p);
        for (Panel* p : shown) {
            if (p->chart->plotArea().width() <= 0)
                return; // not laid out yet; its plotAreaChanged comes later
            const auto [l, r] = natural(*p);
            left = std::max(left, l);
            right = std::max(right, r);
        }
        for (Panel* p : shown) {
            const auto [l, r] = natural(*p);
            const QMarginsF extra(std::round(left - l), 0, std::round(right - r), 0);
            if (extra == p->extra)
                continue;
            p->extra = extra;
            p->chart->setMargins(kChartMargins + extra.toMargins());
        }
    }

    void rebuild();
    void rebuildSummary(const TableResult& t);
};

LifecyclePage::LifecyclePage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    d->page = this;
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Table:")));
    d->tables = new QComboBox;
    d->tables->setObjectName(QStringLiteral("lifecycleTable"));
    d->tables->setMinimumWidth(160);
    bar->addWidget(d->tables);
    bar->addSpacing(12);
    d->uses = new QLabel;
    d->uses->setObjectName(QStringLiteral("lifecycleUses"));
    d->uses->setTextFormat(Qt::RichText);
    bar->addWidget(d->uses, 1);
    layout->addLayout(bar);
    d->hover = new QLabel(tr("Point at a chart to read a minute's figures."));
    d->hover->setObjectName(QStringLiteral("hoverLabel"));
    d->hover->setTextFormat(Qt::RichText);
    layout->addWidget(d->hover);

    auto* splitter = new QSplitter(Qt::Horizontal);
    auto* charts = new QSplitter(Qt::Vertical);
    d->makePanel(d->storage, QStringLiteral("storageChart"), tr("TTL deletions and storage"),
        tr("items deleted / min"), tr("storage"));
    d->makePanel(d->stream, QStringLiteral("streamChart"), tr("Stream records and consumer lag"),
        tr("per minute"), tr("consumer lag (s)"));
    d->makePanel(d->cost, QStringLiteral("dataCostChart"), tr("Data-feature cost to date"), tr("cost to date"), QString());
    for (Panel* p : d->panels)
        charts->addWidget(p->view);
    charts->setMinimumWidth(640);
    splitter->addWidget(charts);

    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    d->summary = new QLabel;
    d->summary->setObjectName(QStringLiteral("lifecycleSummary"));
    d->summary->setTextFormat(Qt::RichText);
    d->summary->setWordWrap(true);
    d->summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    d->summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* scroll = new QScrollArea;
    scroll->setWidget(d->summary);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    sideLayout->addWidget(scroll, 1);
    const auto makeTable = [&](const QString& objectName, const QStringList& headers) {
        auto* table = new QTableWidget(0, static_cast<int>(headers.size()));
        table->setObjectName(objectName);
        table->setHorizontalHeaderLabels(headers);
        table->verticalHeader()->hide();
        table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->setAlternatingRowColors(true);
        table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        return table;
    };
    d->consumersCaption = new QLabel(tr("<b>Stream consumers</b>"));
    sideLayout->addWidget(d->consumersCaption);
    d->consumers = makeTable(QStringLiteral("consumersTable"),
        { tr("Consumer"), tr("Kind"), tr("Batches"), tr("Reads"), tr("Records"), tr("Writes"), tr("Throttled"), tr("Max lag") });
    sideLayout->addWidget(d->consumers);
    d->movementsCaption = new QLabel(tr("<b>Backups, restores, exports and imports</b> (double-click: show the time)"));
    d->movementsCaption->setWordWrap(true);
    sideLayout->addWidget(d->movementsCaption);
    d->movements = makeTable(QStringLiteral("movementsTable"),
        { tr("Time"), tr("What"), tr("Name"), tr("Status"), tr("Size"), tr("Items"), tr("Cost"), tr("Detail") });
    sideLayout->addWidget(d->movements);
    side->setMinimumWidth(360);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({ 900, 540 });
    layout->addWidget(splitter, 1);

    connect(d->tables, &QComboBox::currentIndexChanged, this, [this] { d->rebuild(); });
    connect(d->movements, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (QTableWidgetItem* item = d->movements->item(row, 0))
            emit timeSelected(item->data(Qt::UserRole).toDouble());
    });
    d->rebuild();
}

LifecyclePage::~LifecyclePage() = default;

void LifecyclePage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    Q_UNUSED(final);
    d->run = std::move(run);
    const QString before = d->tables->currentText();
    {
        const QSignalBlocker blocker(d->tables);
        d->tables->clear();
        if (d->run) {
            for (const TableResult& t : d->run->tables)
                d->tables->addItem(q(t.name));
        }
        int index = d->tables->findText(before);
        if (index < 0 && d->run) {
            // First show a table that uses a lifecycle feature.
            for (std::size_t i = 0; i < d->run->tables.size() && index < 0; ++i)
                if (usesLifecycleFeatures(d->run->tables[i]))
                    index = static_cast<int>(i);
        }
        d->tables->setCurrentIndex(std::max(index, 0));
    }
    d->rebuild();
}

bool LifecyclePage::chooseTable(const QString& name)
{
    const int index = d->tables->findText(name);
    if (index < 0)
        return false;
    d->tables->setCurrentIndex(index);
    return true;
}

void LifecyclePage::showTime(double seconds)
{
    for (Panel* p : d->panels)
        p->view->setSelectedX(seconds / 60.0);
}

void LifecyclePage::Private::rebuild()
{
    for (Panel* p : panels) {
        for (QAbstractSeries* s : p->chart->series()) {
            p->chart->removeSeries(s);
            delete s;
        }
        p->series.clear();
        p->view->setMarkers({});
    }
    const TableResult* t = table();
    if (!t) {
        uses->setText(LifecyclePage::tr("No run yet: run a scenario whose tables use TTL, streams, PITR, backups, "
                                        "exports or imports."));
        summary->clear();
        for (Panel* p : panels)
            p->view->setVisible(false);
        consumersCaption->setVisible(false);
        consumers->setVisible(false);
        movementsCaption->setVisible(false);
        movements->setVisible(false);
        return;
    }
    const QString currency = q(run->currency);
    double first = t->minutes.empty() ? 0.0 : static_cast<double>(t->minutes.front().minute);
    double end = std::max(1.0, std::ceil(run->simulatedSeconds / 60.0));
    if (!t->minutes.empty())
        end = std::max(end, static_cast<double>(t->minutes.back().minute + 1));
    const auto minuteOf = [](const MinuteRow& r) { return static_cast<double>(r.minute); };

    // TTL deletions (per minute) and storage (at each minute's end).
    {
        storage.chart->setTitle(t->ttl ? LifecyclePage::tr("%1: TTL deletions and storage").arg(q(t->name))
                                       : LifecyclePage::tr("%1: storage (the table does not use TTL)").arg(q(t->name)));
        double top = 0;
        if (t->ttl) {
            auto points = charts::stepPoints<MinuteRow>(t->minutes, minuteOf,
                [](const MinuteRow& r) { return static_cast<double>(r.ttlDeletions); });
            top = charts::maxYIn(points, -1e18, 1e18);
            storage.addSeries(QStringLiteral("ttlDeletions"), LifecyclePage::tr("TTL deletions / min"), QColor(0xe0, 0x7b, 0x00), false);
            storage.series.back().setPoints(std::move(points));
        }
        // Without TTL, storage has the left axis to itself.
        const bool ttl = t->ttl.has_value();
        storage.right->setVisible(ttl);
        if (ttl)
            setAxisTop(storage.left, top);
        storage.left->setTitleText(ttl ? LifecyclePage::tr("items deleted / min") : QString());
        std::int64_t maxBytes = 0;
        for (const MinuteRow& r : t->minutes)
            maxBytes = std::max(maxBytes, r.storageBytes);
        const auto [divisor, unit] = byteAxisUnit(static_cast<double>(maxBytes));
        std::vector<QPointF> points;
        points.reserve(t->minutes.size());
        for (const MinuteRow& r : t->minutes)
            points.emplace_back(static_cast<double>(r.minute + 1), static_cast<double>(r.storageBytes) / divisor);
        storage.addSeries(QStringLiteral("storage"), LifecyclePage::tr("storage (%1)").arg(unit), QColor(0x2c, 0xa0, 0x2c), ttl, 2);
        storage.series.back().setPoints(std::move(points));
        QValueAxis* storageAxis = ttl ? storage.right : storage.left;
        storageAxis->setTitleText(LifecyclePage::tr("storage (%1)").arg(unit));
        setAxisTop(storageAxis, static_cast<double>(maxBytes) / divisor);
        storage.view->setVisible(true);
    }
    // Stream records and read requests per minute, and the consumers' largest lag.
    stream.view->setVisible(t->streams.has_value());
    if (t->streams) {
        stream.chart->setTitle(LifecyclePage::tr("%1: stream records and consumer lag").arg(q(t->name)));
        auto records = charts::stepPoints<MinuteRow>(t->minutes, minuteOf,
            [](const MinuteRow& r) { return static_cast<double>(r.streamRecords); });
        auto reads = charts::stepPoints<MinuteRow>(t->minutes, minuteOf,
            [](const MinuteRow& r) { return static_cast<double>(r.streamReadRequests); });
        std::vector<QPointF> lag;
        for (const MinuteRow& r : t->minutes)
            lag.emplace_back(static_cast<double>(r.minute) + 0.5, r.consumerLagSeconds);
        setAxisTop(stream.left, std::max(charts::maxYIn(records, -1e18, 1e18), charts::maxYIn(reads, -1e18, 1e18)));
        setAxisTop(stream.right, charts::maxYIn(lag, -1e18, 1e18));
        stream.addSeries(QStringLiteral("streamRecords"), LifecyclePage::tr("records / min"), QColor(0x1f, 0x77, 0xb4), false);
        stream.series.back().setPoints(std::move(records));
        stream.addSeries(QStringLiteral("streamReads"), LifecyclePage::tr("GetRecords calls / min"), QColor(0x17, 0xbe, 0xcf), false, 1);
        stream.series.back().setPoints(std::move(reads));
        stream.addSeries(QStringLiteral("consumerLag"), LifecyclePage::tr("max consumer lag (s)"), QColor(0xa0, 0x18, 0x18), true, 2);
        stream.series.back().setPoints(std::move(lag));
    }
    // The data-feature cost to date.
    const bool costs = t->uses.streams || t->uses.pitr || t->uses.backups || t->uses.restore || t->uses.dataExport
        || t->uses.dataImport || t->cost.dataFeatures() != 0;
    cost.view->setVisible(costs);
    if (costs) {
        cost.chart->setTitle(LifecyclePage::tr("%1: data-feature cost to date (%2 for the run)")
                                 .arg(q(t->name), formatMoney(t->cost.dataFeatures(), currency)));
        std::vector<QPointF> points;
        for (const MinuteRow& r : t->minutes)
            points.emplace_back(static_cast<double>(r.minute + 1), r.dataCostToDate);
        setAxisTop(cost.left, charts::maxYIn(points, -1e18, 1e18));
        cost.left->setLabelFormat(moneyAxisFormat(currency, cost.left->max() - cost.left->min()));
        cost.addSeries(QStringLiteral("dataCost"), LifecyclePage::tr("data features to date"), QColor(0x39, 0x3b, 0x79), false, 2);
        cost.series.back().setPoints(std::move(points));
    }

    const auto markers = lifecycleMarkers(*run, *t);
    for (Panel* p : panels) {
        p->time->setRunSpanMinutes(static_cast<std::int64_t>(end - first));
        p->view->setMarkers(markers);
        p->view->setDataRange(first, end);
        for (const auto& s : p->series)
            s.show(p->view->visibleMin(), p->view->visibleMax());
    }
    rebuildSummary(*t);
}

void LifecyclePage::Private::rebuildSummary(const TableResult& t)
{
    const QString currency = q(run->currency);
    QStringList used;
    if (t.ttl)
        used << LifecyclePage::tr("TTL");
    if (t.streams || t.uses.streams)
        used << LifecyclePage::tr("stream");
    if (t.uses.pitr)
        used << LifecyclePage::tr("PITR");
    if (t.uses.backups || !t.backups.empty())
        used << LifecyclePage::tr("backups");
    if (t.uses.restore || !t.restores.empty())
        used << LifecyclePage::tr("restores");
    if (t.uses.dataExport || !t.exports.empty())
        used << LifecyclePage::tr("exports");
    if (t.uses.dataImport || !t.imports.empty())
        used << LifecyclePage::tr("imports");
    uses->setText(used.isEmpty()
            ? LifecyclePage::tr("<b>%1</b> uses no data-lifecycle feature (TTL, streams, PITR, backups, exports, imports): "
                                "only its storage is shown.").arg(q(t.name).toHtmlEscaped())
            : LifecyclePage::tr("<b>%1</b> uses %2.").arg(q(t.name).toHtmlEscaped(), used.join(QStringLiteral(", "))));

    QStringList html;
    html << LifecyclePage::tr("<h3>%1</h3>").arg(q(t.name).toHtmlEscaped());
    html << LifecyclePage::tr("Storage at the end: <b>%1</b>.").arg(formatBytes(static_cast<double>(t.storageBytes)));
    if (t.ttl) {
        html << LifecyclePage::tr("<p><b>TTL</b>: %1 items expired, %2 deleted by TTL, mean delay after expiry "
                                  "<b>%3</b> (deletions are free of write capacity).</p>")
                    .arg(formatNumber(static_cast<double>(t.ttl->expired), 0),
                        formatNumber(static_cast<double>(t.ttl->deleted), 0), formatDuration(t.ttl->meanDelaySeconds));
    }
    if (t.streams) {
        QString text = LifecyclePage::tr("<p><b>Stream</b>: %1 records, %2 billable read request units")
                           .arg(formatNumber(static_cast<double>(t.streams->records), 0),
                               formatNumber(static_cast<double>(t.streams->readRequestUnits), 0));
        if (t.streams->changeDataCaptureUnits > 0)
            text += LifecyclePage::tr(", %1 Kinesis change-data-capture units")
                        .arg(formatNumber(static_cast<double>(t.streams->changeDataCaptureUnits), 0));
        double maxLag = 0;
        for (const auto& c : t.streams->consumers)
            maxLag = std::max(maxLag, c.maxLagSeconds);
        text += LifecyclePage::tr("; %n consumer(s)", nullptr, static_cast<int>(t.streams->consumers.size()));
        if (!t.streams->consumers.empty())
            text += LifecyclePage::tr(", largest lag <b>%1 s</b>").arg(formatNumber(maxLag, 2));
        html << text + QStringLiteral(".</p>");
    }
    if (t.uses.pitr)
        html << LifecyclePage::tr("<p><b>PITR</b>: continuous backups on; %1 for the run.</p>")
                    .arg(formatMoney(t.cost.pitr, currency));
    // The data-feature cost lines the table uses.
    QStringList lines;
    for (int c = CostBreakdownModel::StreamsColumn; c <= CostBreakdownModel::ImportColumn; ++c) {
        if (CostBreakdownModel::usesDataFeature(t, c) || CostBreakdownModel::dataFeatureCost(t, c) != 0)
            lines << QStringLiteral("<tr><td>%1</td><td align=\"right\">%2</td></tr>")
                         .arg(CostBreakdownModel().headerData(c, Qt::Horizontal).toString(),
                             formatMoney(CostBreakdownModel::dataFeatureCost(t, c), currency));
    }
    if (!lines.isEmpty()) {
        html << LifecyclePage::tr("<p><b>Data-feature costs</b></p>");
        html << QStringLiteral("<table cellspacing=\"0\" cellpadding=\"2\">") + lines.join(QString())
                + LifecyclePage::tr("<tr><td><b>Total</b></td><td align=\"right\"><b>%1</b></td></tr>")
                      .arg(formatMoney(t.cost.dataFeatures(), currency))
                + QStringLiteral("</table>");
    }
    summary->setText(html.join(QString()));

    // Consumers.
    const bool hasConsumers = t.streams && !t.streams->consumers.empty();
    consumersCaption->setVisible(hasConsumers);
    consumers->setVisible(hasConsumers);
    consumers->setRowCount(0);
    if (hasConsumers) {
        consumers->setRowCount(static_cast<int>(t.streams->consumers.size()));
        int row = 0;
        for (const auto& c : t.streams->consumers) {
            const QStringList cells = { q(c.name), q(c.kind), formatNumber(static_cast<double>(c.batches), 0),
                formatNumber(static_cast<double>(c.reads), 0), formatNumber(static_cast<double>(c.records), 0),
                formatNumber(static_cast<double>(c.writes), 0), formatNumber(static_cast<double>(c.throttledWrites), 0),
                LifecyclePage::tr("%1 s").arg(formatNumber(c.maxLagSeconds, 2)) };
            for (int col = 0; col < cells.size(); ++col) {
                auto* item = new QTableWidgetItem(cells[col]);
                if (col >= 2)
                    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                consumers->setItem(row, col, item);
            }
            ++row;
        }
    }
    fitHeight(consumers);
    // Backups, restores, exports, imports in time order.
    struct Row {
        const DataMovement* m;
        QString what;
    };
    std::vector<Row> rows;
    for (const auto& m : t.backups)
        rows.push_back({ &m, LifecyclePage::tr("backup") });
    for (const auto& m : t.restores)
        rows.push_back({ &m, LifecyclePage::tr("restore") });
    for (const auto& m : t.exports)
        rows.push_back({ &m, LifecyclePage::tr("export") });
    for (const auto& m : t.imports)
        rows.push_back({ &m, LifecyclePage::tr("import") });
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.m->timeSeconds < b.m->timeSeconds; });
    movementsCaption->setVisible(!rows.empty());
    movements->setVisible(!rows.empty());
    movements->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        const DataMovement& m = *rows[static_cast<std::size_t>(r)].m;
        const QStringList cells = { formatClock(m.timeSeconds, run->simulatedSeconds), rows[static_cast<std::size_t>(r)].what,
            q(m.name), q(m.status), formatBytes(static_cast<double>(m.sizeBytes)),
            formatNumber(static_cast<double>(m.itemCount), 0), formatMoney(m.cost, currency), q(m.detail) };
        for (int col = 0; col < cells.size(); ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            if (col == 0)
                item->setData(Qt::UserRole, m.timeSeconds);
            if (col >= 4 && col <= 6)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            movements->setItem(r, col, item);
        }
    }
    fitHeight(movements);
}

} // namespace capsim::studio

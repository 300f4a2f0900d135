#include "app/studio/pages/regions_page.h"

#include "app/studio/charts/time_panel.h"
#include "app/studio/models/display_format.h"
#include "app/studio/models/global_tables.h"

#include <QComboBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace capsim::studio {

using charts::TimePanel;

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

// One hue per region, so a region keeps its colour across the columns and the table.
const QColor kRegionColours[] = { QColor(0x1f, 0x77, 0xb4), QColor(0x2c, 0xa0, 0x2c), QColor(0x94, 0x67, 0xbd),
    QColor(0x8c, 0x56, 0x4b), QColor(0x17, 0xbe, 0xcf), QColor(0xe3, 0x77, 0xc2) };

} // namespace

struct RegionsPage::Private {
    RegionsPage* page = nullptr;
    capsim::appcore::RunSnapshot run;
    QString scenarioJson;
    std::vector<int> tableIndexes;
    QComboBox* tables = nullptr;
    QLabel* headline = nullptr;
    QScrollArea* scroll = nullptr;
    QWidget* columnsHost = nullptr;
    QHBoxLayout* columnsLayout = nullptr;
    std::vector<QWidget*> columns;
    std::vector<std::unique_ptr<TimePanel>> panels;
    charts::TimePanelGroup* group = nullptr;
    QTableWidget* regionTable = nullptr;
    std::optional<double> selected;

    const TableResult* table() const
    {
        const int i = tables->currentIndex();
        if (!run || i < 0 || i >= static_cast<int>(tableIndexes.size()))
            return nullptr;
        return &run->tables[static_cast<std::size_t>(tableIndexes[static_cast<std::size_t>(i)])];
    }
    std::string fallbackRegion() const
    {
        if (!scenarioJson.isEmpty())
            return scenarioRegion(scenarioJson);
        if (run) {
            const std::string label = run->pricingLabel.substr(0, run->pricingLabel.find(' '));
            if (!label.empty())
                return label;
        }
        return "us-east-1";
    }
    void rebuild();
    QWidget* makeColumn(const RegionView& view, std::size_t index, bool primary, const std::vector<RegionOutage>& outages,
        double first, double end);
    void fillTable(const std::vector<RegionView>& views);
};

RegionsPage::RegionsPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    d->page = this;
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Global table:")));
    d->tables = new QComboBox;
    d->tables->setObjectName(QStringLiteral("regionsTable"));
    d->tables->setMinimumWidth(160);
    bar->addWidget(d->tables);
    bar->addSpacing(12);
    d->headline = new QLabel;
    d->headline->setObjectName(QStringLiteral("regionsHeadline"));
    d->headline->setTextFormat(Qt::RichText);
    d->headline->setWordWrap(true);
    bar->addWidget(d->headline, 1);
    layout->addLayout(bar);

    d->scroll = new QScrollArea;
    d->scroll->setWidgetResizable(true);
    d->scroll->setFrameShape(QFrame::NoFrame);
    d->columnsHost = new QWidget;
    d->columnsLayout = new QHBoxLayout(d->columnsHost);
    d->columnsLayout->setContentsMargins(0, 0, 0, 0);
    d->columnsLayout->setSpacing(8);
    d->scroll->setWidget(d->columnsHost);
    layout->addWidget(d->scroll, 1);
    d->regionTable = new QTableWidget(0, 9);
    d->regionTable->setObjectName(QStringLiteral("regionFigures"));
    d->regionTable->setHorizontalHeaderLabels({ tr("Region"), tr("Role"), tr("Requests"), tr("Failed"),
        tr("Replicated writes"), tr("Max lag"), tr("Conflicts"), tr("Storage"), tr("Cost (of which replication)") });
    d->regionTable->verticalHeader()->hide();
    d->regionTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    d->regionTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->regionTable->setAlternatingRowColors(true);
    d->regionTable->verticalHeader()->setDefaultSectionSize(d->regionTable->fontMetrics().height() + 8);
    layout->addWidget(d->regionTable);

    d->group = new charts::TimePanelGroup(this);
    connect(d->group, &charts::TimePanelGroup::clicked, this, &ResultPage::timeSelected);
    connect(d->tables, &QComboBox::currentIndexChanged, this, [this] { d->rebuild(); });
    d->rebuild();
}

RegionsPage::~RegionsPage() = default;

bool RegionsPage::appliesTo(const RunResult& run) const
{
    return runHasReplicas(run);
}

void RegionsPage::setScenarioJson(const QString& json)
{
    d->scenarioJson = json;
    d->rebuild();
}

void RegionsPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    Q_UNUSED(final);
    d->run = std::move(run);
    const QString before = d->tables->currentText();
    {
        const QSignalBlocker blocker(d->tables);
        d->tables->clear();
        d->tableIndexes.clear();
        if (d->run)
            for (std::size_t i = 0; i < d->run->tables.size(); ++i)
                if (hasReplicas(d->run->tables[i])) {
                    d->tableIndexes.push_back(static_cast<int>(i));
                    d->tables->addItem(q(d->run->tables[i].name));
                }
        d->tables->setCurrentIndex(std::max(d->tables->findText(before), 0));
    }
    d->rebuild();
}

bool RegionsPage::chooseTable(const QString& name)
{
    const int index = d->tables->findText(name);
    if (index < 0)
        return false;
    d->tables->setCurrentIndex(index);
    return true;
}

void RegionsPage::showTime(double seconds)
{
    d->selected = seconds / 60.0;
    d->group->setSelectedX(d->selected);
}

QWidget* RegionsPage::Private::makeColumn(const RegionView& view, std::size_t index, bool primary,
    const std::vector<RegionOutage>& outages, double first, double end)
{
    const TableResult& t = *view.table;
    const QString region = q(view.region);
    const QColor colour = kRegionColours[index % std::size(kRegionColours)];
    const QString currency = q(run->currency);
    auto* column = new QFrame;
    column->setObjectName(QStringLiteral("region:") + region);
    column->setFrameShape(QFrame::StyledPanel);
    column->setMinimumWidth(420);
    column->setMinimumHeight(3 * 200 + 90);
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* title = new QLabel(QStringLiteral("<span style='font-size:14pt; font-weight:bold; color:%1'>%2</span>"
                                            "&nbsp;&nbsp;<span style='color:#555'>%3</span>")
                                 .arg(colour.name(), region.toHtmlEscaped(),
                                     primary ? RegionsPage::tr("scenario region (the table)") : RegionsPage::tr("replica")));
    title->setObjectName(QStringLiteral("regionTitle"));
    layout->addWidget(title);
    bool outage = false;
    for (const RegionOutage& o : outages)
        outage = outage || o.region == view.region;
    const std::int64_t replicated = view.summary ? view.summary->replicatedWrites : 0;
    const double lag = view.summary ? view.summary->maxLagSeconds : 0;
    const std::int64_t conflicts = view.summary ? view.summary->conflicts : 0;
    auto* figures = new QLabel(RegionsPage::tr("%1 replicated writes applied · max lag <b>%2 s</b> · <b>%3</b> conflicts "
                                               "dropped<br>cost <b>%4</b> (replication %5, writes %6)%7")
                                   .arg(formatNumber(static_cast<double>(replicated), 0), formatNumber(lag, 2),
                                       formatNumber(static_cast<double>(conflicts), 0), formatMoney(view.cost.total(), currency),
                                       formatMoney(view.cost.replication, currency), formatMoney(view.cost.write, currency),
                                       outage ? RegionsPage::tr(" · <span style='color:#c62828'>outage in the run</span>")
                                              : QString()));
    figures->setObjectName(QStringLiteral("regionFigures:") + region);
    figures->setTextFormat(Qt::RichText);
    figures->setWordWrap(true);
    layout->addWidget(figures);

    const auto minuteOf = [](const MinuteRow& r) { return static_cast<double>(r.minute); };
    const auto bands = outageBands(outages, view.region);
    const bool provisioned = t.billingMode == BillingMode::Provisioned;
    auto capacity = std::make_unique<TimePanel>(QStringLiteral("capacity:") + region,
        provisioned ? RegionsPage::tr("%1: capacity, provisioned (dashed) and consumed").arg(region)
                    : RegionsPage::tr("%1: capacity consumed (on-demand)").arg(region),
        RegionsPage::tr("units / s"));
    {
        auto w = charts::stepPoints<MinuteRow>(t.minutes, minuteOf, [](const MinuteRow& r) { return r.consumedWrite; });
        auto r = charts::stepPoints<MinuteRow>(t.minutes, minuteOf, [](const MinuteRow& m) { return m.consumedRead; });
        double top = std::max(charts::maxYIn(w, -1e18, 1e18), charts::maxYIn(r, -1e18, 1e18));
        // An on-demand table's ceiling (2 x its previous peak) would flatten what it consumed: left out.
        if (provisioned) {
            auto pw = charts::stepPoints<MinuteRow>(
                t.minutes, minuteOf, [](const MinuteRow& m) { return static_cast<double>(m.provisionedWrite); });
            auto pr = charts::stepPoints<MinuteRow>(
                t.minutes, minuteOf, [](const MinuteRow& m) { return static_cast<double>(m.provisionedRead); });
            top = std::max({ top, charts::maxYIn(pw, -1e18, 1e18), charts::maxYIn(pr, -1e18, 1e18) });
            capacity->addSeries(QStringLiteral("provisionedWrite"), RegionsPage::tr("write prov."), QColor(0xd6, 0x5f, 0x00),
                false, std::move(pw), 1.3, Qt::DashLine);
            capacity->addSeries(QStringLiteral("provisionedRead"), RegionsPage::tr("read prov."), QColor(0x1f, 0x77, 0xb4),
                false, std::move(pr), 1.3, Qt::DashLine);
        }
        charts::setAxisTop(capacity->left(), top);
        capacity->addSeries(QStringLiteral("consumedWrite"), RegionsPage::tr("write used"), QColor(0xd6, 0x5f, 0x00),
            false, std::move(w), 2);
        capacity->addSeries(QStringLiteral("consumedRead"), RegionsPage::tr("read used"), QColor(0x1f, 0x77, 0xb4),
            false, std::move(r), 2);
    }
    auto replication = std::make_unique<TimePanel>(QStringLiteral("replication:") + region,
        RegionsPage::tr("%1: replicated writes and conflicts").arg(region), RegionsPage::tr("per min"),
        RegionsPage::tr("conflicts"));
    {
        auto applied = charts::stepPoints<MinuteRow>(
            t.minutes, minuteOf, [](const MinuteRow& m) { return static_cast<double>(m.replicatedWrites); });
        auto dropped = charts::stepPoints<MinuteRow>(
            t.minutes, minuteOf, [](const MinuteRow& m) { return static_cast<double>(m.conflicts); });
        charts::setAxisTop(replication->left(), charts::maxYIn(applied, -1e18, 1e18));
        charts::setAxisTop(replication->right(), charts::maxYIn(dropped, -1e18, 1e18));
        replication->addSeries(QStringLiteral("replicatedWrites"), RegionsPage::tr("replicated writes / min"), colour, false,
            std::move(applied), 2);
        replication->addSeries(QStringLiteral("conflicts"), RegionsPage::tr("conflicts / min"), QColor(0xa0, 0x18, 0x18),
            true, std::move(dropped), 1.4);
    }
    auto lagPanel = std::make_unique<TimePanel>(QStringLiteral("lag:") + region,
        RegionsPage::tr("%1: replication lag and backlog").arg(region), RegionsPage::tr("max lag (s)"),
        RegionsPage::tr("queued"));
    {
        auto lagPoints = charts::stepPoints<MinuteRow>(t.minutes, minuteOf, [](const MinuteRow& m) { return m.replicationLagSeconds; });
        std::vector<QPointF> backlog;
        for (const MinuteRow& m : t.minutes)
            backlog.emplace_back(static_cast<double>(m.minute + 1), static_cast<double>(m.replicationBacklog));
        charts::setAxisTop(lagPanel->left(), charts::maxYIn(lagPoints, -1e18, 1e18));
        charts::setAxisTop(lagPanel->right(), charts::maxYIn(backlog, -1e18, 1e18));
        lagPanel->addSeries(QStringLiteral("replicationLag"), RegionsPage::tr("max lag (s)"), QColor(0x39, 0x3b, 0x79), false,
            std::move(lagPoints), 2);
        lagPanel->addSeries(QStringLiteral("replicationBacklog"), RegionsPage::tr("backlog (changes queued)"),
            QColor(0xe0, 0x7b, 0x00), true, std::move(backlog), 1.6);
    }
    for (auto* p : { capacity.get(), replication.get(), lagPanel.get() }) {
        p->view()->setBands(bands);
        layout->addWidget(p->view(), 1);
        p->setDataRange(first, end);
        p->view()->setSelectedX(selected);
        group->add(p);
    }
    panels.push_back(std::move(capacity));
    panels.push_back(std::move(replication));
    panels.push_back(std::move(lagPanel));
    return column;
}

void RegionsPage::Private::fillTable(const std::vector<RegionView>& views)
{
    const QString currency = q(run->currency);
    regionTable->setRowCount(static_cast<int>(views.size()));
    for (std::size_t i = 0; i < views.size(); ++i) {
        const RegionView& v = views[i];
        const TableResult& t = *v.table;
        const QStringList cells = { q(v.region), i == 0 ? RegionsPage::tr("scenario region") : RegionsPage::tr("replica"),
            formatNumber(static_cast<double>(t.requestsRead + t.requestsWrite), 0),
            formatNumber(static_cast<double>(t.failedRead + t.failedWrite), 0),
            formatNumber(static_cast<double>(v.summary ? v.summary->replicatedWrites : 0), 0),
            RegionsPage::tr("%1 s").arg(formatNumber(v.summary ? v.summary->maxLagSeconds : 0, 2)),
            formatNumber(static_cast<double>(v.summary ? v.summary->conflicts : 0), 0),
            formatByteCount(static_cast<double>(v.summary ? v.summary->storageBytes : t.storageBytes)),
            QStringLiteral("%1 (%2)").arg(formatMoney(v.cost.total(), currency), formatMoney(v.cost.replication, currency)) };
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c >= 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == 0)
                item->setForeground(kRegionColours[i % std::size(kRegionColours)]);
            regionTable->setItem(static_cast<int>(i), c, item);
        }
    }
    // As tall as its rows: the columns above keep the room.
    regionTable->setFixedHeight(regionTable->horizontalHeader()->sizeHint().height()
        + static_cast<int>(views.size()) * regionTable->verticalHeader()->defaultSectionSize() + 2 * regionTable->frameWidth() + 2);
}

void RegionsPage::Private::rebuild()
{
    group->clear();
    for (QWidget* c : columns)
        delete c; // with their chart views
    columns.clear();
    panels.clear();
    regionTable->setRowCount(0);
    const TableResult* t = table();
    if (!t) {
        headline->setText(run ? RegionsPage::tr("No table of this run is a global table (a table's <code>replicas</code>).")
                              : RegionsPage::tr("No run yet."));
        return;
    }
    const auto views = regionViews(*t, fallbackRegion());
    const auto outages = regionOutages(scenarioJson);
    double first = t->minutes.empty() ? 0.0 : static_cast<double>(t->minutes.front().minute);
    double end = std::max(1.0, std::ceil(run->simulatedSeconds / 60.0));
    for (const RegionView& v : views)
        if (!v.table->minutes.empty())
            end = std::max(end, static_cast<double>(v.table->minutes.back().minute + 1));
    QStringList regions;
    for (const RegionView& v : views)
        regions << q(v.region);
    QString outageText;
    for (const RegionOutage& o : outages)
        outageText += RegionsPage::tr("; <span style='color:#c62828'>%1 outage %2 – %3</span>")
                          .arg(q(o.region), formatClock(o.startSeconds, run->simulatedSeconds, false),
                              formatClock(o.endSeconds, run->simulatedSeconds, false));
    headline->setText(RegionsPage::tr("<b>%1</b> is a global table in %2 regions: %3. Whole global table: <b>%4</b>, "
                                      "of which replication %5%6.")
                          .arg(q(t->name).toHtmlEscaped(), QString::number(views.size()), regions.join(QStringLiteral(", ")),
                              formatMoney(t->cost.total(), q(run->currency)), formatMoney(t->cost.replication, q(run->currency)),
                              outageText));
    for (std::size_t i = 0; i < views.size(); ++i) {
        QWidget* column = makeColumn(views[i], i, i == 0, outages, first, end);
        columnsLayout->addWidget(column, 1);
        columns.push_back(column);
    }
    fillTable(views);
}

} // namespace capsim::studio

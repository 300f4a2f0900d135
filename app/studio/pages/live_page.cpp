#include "app/studio/pages/live_page.h"

#include "app/studio/charts/time_panel.h"
#include "app/studio/models/display_format.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace capsim::studio {

namespace {

constexpr int kPollMilliseconds = 1000;
constexpr int kReplyTimeoutMilliseconds = 2500;
// A chart spans at least this much, so a fresh server's first seconds do not fill the width.
constexpr std::int64_t kMinWindowSeconds = 60;
const QColor kThrottleColour(0xd6, 0x27, 0x28);
const QColor kThrottleText(0xa0, 0x18, 0x18);

// Money at live scale: a few seconds of traffic cost fractions of a cent, which formatMoney's
// four decimals would show as $0.0000.
QString liveMoney(double amount)
{
    if (amount > 0 && amount < 0.0001)
        return QStringLiteral("$%1").arg(amount, 0, 'f', 7);
    return formatMoney(amount, QStringLiteral("USD"));
}

QString clockText(std::int64_t unixSecond)
{
    return QDateTime::fromSecsSinceEpoch(unixSecond).toString(QStringLiteral("HH:mm:ss"));
}

// A count axis (requests): whole-number ticks at 1, 2, 5, 10, 20... apart, at most 5 steps to
// the top, so that a handful of throttles never reads "0, 1, 1, 2".
void setCountAxisTop(QValueAxis* axis, double maxValue)
{
    const double top = std::max(1.0, std::ceil(maxValue * 1.1));
    double step = 1;
    for (double magnitude = 1; top / step > 5; magnitude *= 10) {
        for (const double factor : { 1.0, 2.0, 5.0 }) {
            step = factor * magnitude;
            if (top / step <= 5)
                break;
        }
    }
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(step);
    axis->setRange(0, std::ceil(top / step) * step);
}

// One dimension's chart: consumed units/s (area), the capacity in force (line), and throttled
// requests/s on the right axis.
struct LiveChart {
    bool reads = true;
    QChart* chart = nullptr;
    QChartView* view = nullptr;
    QDateTimeAxis* time = nullptr;
    QValueAxis* units = nullptr;
    QValueAxis* throttles = nullptr;
    QLineSeries* consumed = nullptr;
    QLineSeries* capacity = nullptr;
    QLineSeries* throttled = nullptr;
    QAreaSeries* consumedArea = nullptr;
    QAreaSeries* throttledArea = nullptr;

    explicit LiveChart(bool isReads)
        : reads(isReads)
    {
        chart = new QChart;
        chart->legend()->setAlignment(Qt::AlignTop);
        chart->setMargins(QMargins(4, 4, 4, 4));
        QFont titleFont = chart->titleFont();
        titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
        titleFont.setBold(true);
        chart->setTitleFont(titleFont);
        consumed = new QLineSeries;
        consumed->setObjectName(QStringLiteral("consumed"));
        consumedArea = new QAreaSeries(consumed);
        consumedArea->setObjectName(QStringLiteral("consumedArea"));
        consumedArea->setName(QObject::tr("consumed (units/s)"));
        consumedArea->setColor(QColor(0xa9, 0xcd, 0xee));
        consumedArea->setBorderColor(QColor(0x2f, 0x75, 0xb5));
        throttled = new QLineSeries;
        throttled->setObjectName(QStringLiteral("throttled"));
        throttledArea = new QAreaSeries(throttled);
        throttledArea->setObjectName(QStringLiteral("throttledArea"));
        throttledArea->setName(QObject::tr("throttled (requests/s, right axis)"));
        throttledArea->setColor(QColor(0xd6, 0x27, 0x28, 70));
        throttledArea->setBorderColor(kThrottleColour);
        capacity = new QLineSeries;
        capacity->setObjectName(QStringLiteral("capacity"));
        QPen pen(QColor(0x1b, 0x2a, 0x49));
        pen.setWidthF(2.2);
        pen.setStyle(Qt::DashLine);
        capacity->setPen(pen);
        // Throttles underneath, so consumption and the capacity line stay visible over them.
        chart->addSeries(throttledArea);
        chart->addSeries(consumedArea);
        chart->addSeries(capacity);

        time = new QDateTimeAxis;
        time->setFormat(QStringLiteral("HH:mm:ss"));
        time->setTickCount(7);
        time->setTitleText(QObject::tr("time (server clock)"));
        units = new QValueAxis;
        units->setTitleText(reads ? QObject::tr("read units/s") : QObject::tr("write units/s"));
        // %g: small capacities (a few units) get ticks like 0.5 without trailing zeros on large ones.
        units->setLabelFormat(QStringLiteral("%g"));
        throttles = new QValueAxis;
        throttles->setTitleText(QObject::tr("throttled requests/s"));
        throttles->setLabelFormat(QStringLiteral("%.0f"));
        throttles->setLabelsColor(kThrottleText);
        throttles->setTitleBrush(kThrottleText);
        throttles->setGridLineVisible(false);
        chart->addAxis(time, Qt::AlignBottom);
        chart->addAxis(units, Qt::AlignLeft);
        chart->addAxis(throttles, Qt::AlignRight);
        for (QAbstractSeries* s :
            { static_cast<QAbstractSeries*>(consumedArea), static_cast<QAbstractSeries*>(capacity) }) {
            s->attachAxis(time);
            s->attachAxis(units);
        }
        throttledArea->attachAxis(time);
        throttledArea->attachAxis(throttles);

        view = new QChartView(chart);
        view->setObjectName(reads ? QStringLiteral("readsChart") : QStringLiteral("writesChart"));
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(220);
    }

    // Shows `entry`'s seconds [from, to) from `history`.
    void show(const LiveHistory& history, const LiveEntry& entry, std::int64_t from, std::int64_t to)
    {
        const std::vector<LiveSecond> seconds = history.seconds(entry, from, to);
        QList<QPointF> consumedPoints;
        QList<QPointF> throttledPoints;
        QList<QPointF> capacityPoints;
        double unitsTop = 0;
        double throttlesTop = 0;
        double unitsTotal = 0;
        std::int64_t throttlesTotal = 0;
        // Each second is a step from its start to its end.
        const auto step = [](QList<QPointF>& points, std::int64_t second, double value) {
            points.append(QPointF(static_cast<double>(second) * 1000.0, value));
            points.append(QPointF(static_cast<double>(second + 1) * 1000.0, value));
        };
        for (const LiveSecond& s : seconds) {
            const double consumedUnits = reads ? s.readUnits : s.writeUnits;
            const std::int64_t refused = reads ? s.readThrottles : s.writeThrottles;
            step(consumedPoints, s.second, consumedUnits);
            step(throttledPoints, s.second, static_cast<double>(refused));
            unitsTop = std::max(unitsTop, consumedUnits);
            throttlesTop = std::max(throttlesTop, static_cast<double>(refused));
            unitsTotal += consumedUnits;
            throttlesTotal += refused;
            if (const auto rate = history.rateAt(entry, reads, s.second)) {
                step(capacityPoints, s.second, *rate);
                unitsTop = std::max(unitsTop, *rate);
            }
        }
        consumed->replace(consumedPoints);
        throttled->replace(throttledPoints);
        capacity->replace(capacityPoints);
        const bool onDemand = entry.billingMode == BillingMode::PayPerRequest;
        capacity->setName(
            onDemand ? QObject::tr("on-demand ceiling (units/s)") : QObject::tr("provisioned capacity (units/s)"));
        // A ceiling far above the traffic would flatten it: on demand, the axis follows consumption.
        double top = unitsTop;
        if (onDemand) {
            double consumedTop = 0;
            for (const QPointF& p : consumedPoints)
                consumedTop = std::max(consumedTop, p.y());
            top = consumedTop > 0 ? consumedTop : unitsTop;
        }
        charts::setAxisTop(units, top);
        if (onDemand && !capacityPoints.isEmpty() && capacityPoints.back().y() > units->max()) {
            capacity->setName(QObject::tr("on-demand ceiling: %1 units/s (above the chart)")
                                  .arg(formatNumber(capacityPoints.back().y(), 0)));
        }
        setCountAxisTop(throttles, throttlesTop);
        time->setRange(QDateTime::fromSecsSinceEpoch(from), QDateTime::fromSecsSinceEpoch(to));
        const QString what = reads ? QObject::tr("Reads") : QObject::tr("Writes");
        const QString span = formatDuration(static_cast<double>(to - from));
        chart->setTitle(
            QObject::tr("%1 — last %2: %3 units consumed, %4 requests throttled")
                .arg(what, span, formatNumber(unitsTotal, 1), formatNumber(static_cast<double>(throttlesTotal), 0)));
        chart->setTitleBrush(throttlesTotal > 0 ? QBrush(kThrottleText) : QBrush(Qt::black));
    }
};

QLabel* figure(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setMinimumWidth(120);
    return label;
}

} // namespace

struct LivePage::Private {
    LivePage* page = nullptr;
    QNetworkAccessManager network;
    QTimer poll;
    QUrl server;
    QPointer<QNetworkReply> inFlight;
    LiveHistory history;
    bool attached = false;
    bool connected = false;
    std::int64_t lastUpdate = 0; // the server's clock at the last answer
    QString lastError;
    int windowSeconds = 300;

    QLabel* serverLabel = nullptr;
    QComboBox* chooser = nullptr;
    QLabel* capacityLabel = nullptr;
    QLabel* partitionsLabel = nullptr;
    QLabel* itemsLabel = nullptr;
    QLabel* costLabel = nullptr;
    QLabel* status = nullptr;
    std::unique_ptr<LiveChart> reads;
    std::unique_ptr<LiveChart> writes;

    void request();
    void answered(QNetworkReply* reply);
    void refresh();
    void updateChooser();
    void updateStatus();
};

void LivePage::Private::request()
{
    if (!attached || inFlight)
        return;
    QUrl url = server;
    url.setPath(QStringLiteral("/capsim/live"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("since"), QString::number(history.sinceSecond()));
    url.setQuery(query);
    QNetworkRequest request(url);
    request.setTransferTimeout(kReplyTimeoutMilliseconds);
    inFlight = network.get(request);
    QNetworkReply* reply = inFlight;
    connect(reply, &QNetworkReply::finished, page, [this, reply] { answered(reply); });
}

void LivePage::Private::answered(QNetworkReply* reply)
{
    reply->deleteLater();
    if (reply != inFlight)
        return; // a reply to a server detached since
    inFlight = nullptr;
    const int httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QString error;
    bool ok = false;
    if (reply->error() != QNetworkReply::NoError && httpStatus == 0)
        error = reply->errorString();
    else if (httpStatus == 404)
        error = tr("%1 has no /capsim/live: is it a capsim serve of this version?").arg(server.toString());
    else if (httpStatus != 200)
        error = tr("HTTP %1 from the server").arg(httpStatus);
    else
        ok = history.merge(reply->readAll(), &error);
    connected = ok;
    lastError = error;
    if (ok) {
        lastUpdate = history.now();
        updateChooser();
        refresh();
    }
    updateStatus();
    emit page->polled(ok);
}

void LivePage::Private::updateChooser()
{
    QStringList labels;
    for (const LiveEntry& entry : history.entries())
        labels.append(entry.label());
    QStringList current;
    for (int i = 0; i < chooser->count(); ++i)
        current.append(chooser->itemText(i));
    if (labels == current)
        return;
    QString chosen = chooser->currentText();
    if (!labels.contains(chosen)) {
        // First the table with traffic, else the first one.
        chosen = labels.value(0);
        for (const LiveEntry& entry : history.entries()) {
            const auto seconds = history.seconds(entry, history.firstSecond(), history.now() + 1);
            if (std::any_of(seconds.begin(), seconds.end(), [](const LiveSecond& s) {
                    return s.readUnits + s.writeUnits > 0 || s.readThrottles + s.writeThrottles > 0;
                })) {
                chosen = entry.label();
                break;
            }
        }
    }
    const QSignalBlocker blocker(chooser);
    chooser->clear();
    chooser->addItems(labels);
    chooser->setCurrentIndex(std::max(0, static_cast<int>(labels.indexOf(chosen))));
    chooser->setEnabled(!labels.isEmpty());
}

void LivePage::Private::refresh()
{
    const LiveEntry* entry = history.find(chooser->currentText());
    if (!entry) {
        capacityLabel->setText(
            history.empty() ? QString() : tr("<b>No tables yet</b> on this server: create one (CreateTable)."));
        partitionsLabel->clear();
        itemsLabel->clear();
        costLabel->setText(history.empty() ? QString() : tr("<b>Cost so far:</b> %1").arg(liveMoney(0)));
        for (LiveChart* chart : { reads.get(), writes.get() }) {
            chart->consumed->clear();
            chart->throttled->clear();
            chart->capacity->clear();
            chart->chart->setTitle(QString());
        }
        return;
    }
    // The current second is still filling: the charts end before it.
    const std::int64_t to = history.now();
    const std::int64_t from = std::min(to - kMinWindowSeconds, std::max(history.firstSecond(), to - windowSeconds));
    reads->show(history, *entry, from, to);
    writes->show(history, *entry, from, to);

    const auto rate = [](const std::optional<double>& inForce, double described) {
        return formatNumber(inForce.value_or(described), 0);
    };
    if (entry->billingMode == BillingMode::PayPerRequest) {
        capacityLabel->setText(
            tr("<b>On-demand</b> · ceiling %1 read / %2 write units/s")
                .arg(entry->readRateInForce ? formatNumber(*entry->readRateInForce, 0) : tr("n/a"),
                    entry->writeRateInForce ? formatNumber(*entry->writeRateInForce, 0) : tr("n/a")));
    } else {
        QString text = tr("<b>Provisioned</b> · %1 RCU / %2 WCU")
                           .arg(rate(entry->readRateInForce, entry->readCapacity),
                               rate(entry->writeRateInForce, entry->writeCapacity));
        if ((entry->readRateInForce && *entry->readRateInForce != entry->readCapacity)
            || (entry->writeRateInForce && *entry->writeRateInForce != entry->writeCapacity))
            text += tr(" (changing to %1 / %2)")
                        .arg(formatNumber(entry->readCapacity, 0), formatNumber(entry->writeCapacity, 0));
        capacityLabel->setText(text);
    }
    partitionsLabel->setText(tr("<b>Partitions:</b> %1").arg(entry->partitions));
    const auto [divisor, unit] = byteAxisUnit(static_cast<double>(entry->sizeBytes));
    itemsLabel->setText(tr("<b>Items:</b> %1 (%2 %3)")
                            .arg(formatNumber(static_cast<double>(entry->itemCount), 0),
                                formatNumber(static_cast<double>(entry->sizeBytes) / divisor, 1), unit));
    const QString basis = entry->billingMode == BillingMode::PayPerRequest ? tr("consumed units × on-demand price")
                                                                           : tr("provisioned capacity × hours");
    costLabel->setText(
        tr("<b>Cost so far:</b> %1 <span style='color:#555'>(%2, since %3, %4 prices; all tables %5)</span>")
            .arg(liveMoney(history.costUsd(*entry)), basis, clockText(history.firstSecond()), entry->region,
                liveMoney(history.totalCostUsd())));
}

void LivePage::Private::updateStatus()
{
    serverLabel->setText(attached ? tr("<b>Server:</b> %1").arg(server.toString().toHtmlEscaped())
                                  : tr("<b>Not attached</b> (File › Attach to server…)"));
    if (!attached) {
        status->setText(tr("Not attached."));
        status->setStyleSheet(QString());
        return;
    }
    const QString last = lastUpdate ? tr("last update %1").arg(clockText(lastUpdate)) : tr("no answer yet");
    if (connected) {
        status->setText(tr("● Connected to %1 · %2 · polling every second").arg(server.toString(), last));
        status->setStyleSheet(QStringLiteral("color: #1d6b2f;"));
    } else if (!lastError.isEmpty()) {
        status->setText(tr("● Server unreachable: %1 · %2 · retrying every second").arg(lastError, last));
        status->setStyleSheet(QStringLiteral("color: #a01818;"));
    } else {
        status->setText(tr("Connecting to %1…").arg(server.toString()));
        status->setStyleSheet(QString());
    }
}

LivePage::LivePage(QWidget* parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->page = this;
    setObjectName(QStringLiteral("livePage"));
    auto* layout = new QVBoxLayout(this);

    auto* top = new QHBoxLayout;
    d->serverLabel = figure(QStringLiteral("serverLabel"), this);
    top->addWidget(d->serverLabel);
    top->addSpacing(24);
    auto* tableLabel = new QLabel(tr("<b>Table:</b>"), this);
    top->addWidget(tableLabel);
    d->chooser = new QComboBox(this);
    d->chooser->setObjectName(QStringLiteral("tableChooser"));
    d->chooser->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    d->chooser->setMinimumContentsLength(24);
    top->addWidget(d->chooser);
    top->addStretch(1);
    layout->addLayout(top);

    auto* figures = new QGridLayout;
    d->capacityLabel = figure(QStringLiteral("capacityLabel"), this);
    d->partitionsLabel = figure(QStringLiteral("partitionsLabel"), this);
    d->itemsLabel = figure(QStringLiteral("itemsLabel"), this);
    d->costLabel = figure(QStringLiteral("costLabel"), this);
    d->costLabel->setWordWrap(true);
    figures->addWidget(d->capacityLabel, 0, 0);
    figures->addWidget(d->partitionsLabel, 0, 1);
    figures->addWidget(d->itemsLabel, 0, 2);
    figures->addWidget(d->costLabel, 1, 0, 1, 3);
    figures->setColumnStretch(0, 2);
    figures->setColumnStretch(1, 1);
    figures->setColumnStretch(2, 2);
    layout->addLayout(figures);

    d->reads = std::make_unique<LiveChart>(true);
    d->writes = std::make_unique<LiveChart>(false);
    layout->addWidget(d->reads->view, 1);
    layout->addWidget(d->writes->view, 1);

    d->status = new QLabel(this);
    d->status->setObjectName(QStringLiteral("status"));
    d->status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(d->status);

    d->poll.setInterval(kPollMilliseconds);
    connect(&d->poll, &QTimer::timeout, this, [this] { d->request(); });
    connect(d->chooser, &QComboBox::currentTextChanged, this, [this] { d->refresh(); });
    d->updateStatus();
}

LivePage::~LivePage()
{
    // A reply in flight is aborted now, while the page it reports to is whole.
    detach();
}

void LivePage::attach(const QUrl& server)
{
    detach();
    d->server = server;
    d->history = LiveHistory();
    d->attached = true;
    d->connected = false;
    d->lastUpdate = 0;
    d->lastError.clear();
    {
        const QSignalBlocker blocker(d->chooser);
        d->chooser->clear();
    }
    d->refresh();
    d->updateStatus();
    d->poll.start();
    d->request();
}

void LivePage::detach()
{
    d->poll.stop();
    if (d->inFlight) {
        QNetworkReply* reply = d->inFlight;
        d->inFlight = nullptr;
        reply->abort();
    }
    d->attached = false;
    d->connected = false;
    d->updateStatus();
}

QUrl LivePage::server() const
{
    return d->server;
}

bool LivePage::isAttached() const
{
    return d->attached;
}

bool LivePage::isConnected() const
{
    return d->connected;
}

const LiveHistory& LivePage::history() const
{
    return d->history;
}

QString LivePage::chosenLabel() const
{
    return d->chooser->currentText();
}

bool LivePage::choose(const QString& label)
{
    const int index = d->chooser->findText(label);
    if (index < 0)
        return false;
    d->chooser->setCurrentIndex(index);
    return true;
}

QString LivePage::lastError() const
{
    return d->lastError;
}

QString LivePage::statusText() const
{
    return d->status->text();
}

void LivePage::setWindowSeconds(int seconds)
{
    d->windowSeconds = std::max(seconds, static_cast<int>(kMinWindowSeconds));
    d->refresh();
}

} // namespace capsim::studio

#include "app/studio/pages/events_page.h"

#include "app/studio/models/events_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <set>

namespace capsim::studio {

struct EventsPage::Private {
    capsim::appcore::RunSnapshot run;
    EventsModel* model = nullptr;
    QSortFilterProxyModel* proxy = nullptr;
    QTableView* view = nullptr;
    QComboBox* kindBox = nullptr;
    QLabel* countLabel = nullptr;
    bool selectingForShowTime = false;

    void updateCount()
    {
        countLabel->setText(EventsPage::tr("%n event(s) shown", nullptr, proxy->rowCount())
            + (proxy->rowCount() != model->rowCount() ? EventsPage::tr(" of %1").arg(model->rowCount()) : QString()));
    }
};

EventsPage::EventsPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Kind:")));
    d->kindBox = new QComboBox;
    d->kindBox->setObjectName(QStringLiteral("kindFilter"));
    d->kindBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    bar->addWidget(d->kindBox);
    d->countLabel = new QLabel;
    bar->addWidget(d->countLabel, 1);
    auto* hint = new QLabel(tr("Select an event to move the charts to its time."));
    hint->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(hint);
    layout->addLayout(bar);

    d->model = new EventsModel(this);
    d->model->setObjectName(QStringLiteral("eventsModel"));
    d->proxy = new QSortFilterProxyModel(this);
    d->proxy->setSourceModel(d->model);
    d->proxy->setFilterKeyColumn(EventsModel::KindColumn);
    d->proxy->setFilterRole(EventsModel::ValueRole);
    d->view = new QTableView;
    d->view->setObjectName(QStringLiteral("eventsTable"));
    d->view->setModel(d->proxy);
    d->view->setSelectionBehavior(QAbstractItemView::SelectRows);
    d->view->setSelectionMode(QAbstractItemView::SingleSelection);
    d->view->setAlternatingRowColors(true);
    d->view->setWordWrap(false);
    d->view->verticalHeader()->hide();
    d->view->verticalHeader()->setDefaultSectionSize(d->view->fontMetrics().height() + 8);
    d->view->horizontalHeader()->setSectionResizeMode(EventsModel::TimeColumn, QHeaderView::ResizeToContents);
    d->view->horizontalHeader()->setSectionResizeMode(EventsModel::TableColumn, QHeaderView::ResizeToContents);
    d->view->horizontalHeader()->setSectionResizeMode(EventsModel::KindColumn, QHeaderView::ResizeToContents);
    d->view->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(d->view, 1);

    connect(d->kindBox, &QComboBox::currentIndexChanged, this, [this] {
        const QString kind = d->kindBox->currentData().toString();
        d->proxy->setFilterRegularExpression(kind.isEmpty()
                ? QRegularExpression()
                : QRegularExpression(QStringLiteral("^%1$").arg(QRegularExpression::escape(kind))));
        d->updateCount();
    });
    connect(d->view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (!current.isValid() || d->selectingForShowTime)
                return;
            const QModelIndex source = d->proxy->mapToSource(current);
            emit timeSelected(d->model->event(source.row()).timeSeconds);
        });
}

EventsPage::~EventsPage() = default;

void EventsPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    Q_UNUSED(final);
    d->run = std::move(run);
    d->model->setRun(d->run);
    const QString kind = d->kindBox->currentData().toString();
    std::set<std::string> kinds;
    if (d->run) {
        for (const RunEvent& e : d->run->events)
            kinds.insert(std::string(eventKindName(e.kind)));
    }
    {
        const QSignalBlocker block(d->kindBox);
        d->kindBox->clear();
        d->kindBox->addItem(tr("all kinds"), QString());
        for (const std::string& k : kinds)
            d->kindBox->addItem(QString::fromStdString(k), QString::fromStdString(k));
        const int keep = d->kindBox->findData(kind);
        d->kindBox->setCurrentIndex(keep < 0 ? 0 : keep);
    }
    const QString shown = d->kindBox->currentData().toString();
    d->proxy->setFilterRegularExpression(shown.isEmpty()
            ? QRegularExpression()
            : QRegularExpression(QStringLiteral("^%1$").arg(QRegularExpression::escape(shown))));
    d->updateCount();
}

void EventsPage::showTime(double seconds)
{
    // Select the last shown event at or before that time, without announcing it again.
    int best = -1;
    for (int row = 0; row < d->proxy->rowCount(); ++row) {
        const double t = d->proxy->index(row, EventsModel::TimeColumn).data(EventsModel::ValueRole).toDouble();
        if (t <= seconds + 1e-9)
            best = row;
        else
            break;
    }
    if (best < 0)
        return;
    d->selectingForShowTime = true;
    const QModelIndex index = d->proxy->index(best, 0);
    d->view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    d->view->scrollTo(index);
    d->selectingForShowTime = false;
}

} // namespace capsim::studio

#include "app/studio/pages/data_page.h"

#include "app/studio/models/items_model.h"
#include "app/studio/models/partitions_model.h"
#include "engine/engine.h"
#include "engine/json_codec.h"
#include "simulator/explain.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace capsim::studio {

namespace {

QTableView* makeTableView(QAbstractItemModel* model, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setAlternatingRowColors(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->setDefaultSectionSize(22);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

// A key value typed by the user as the key attribute's type (reference A1 types S, N, B).
Result<AttributeValue> keyValue(const QString& text, AttrType type, const char* which)
{
    const std::string raw = text.trimmed().toStdString();
    if (raw.empty())
        return Status("ValidationException", std::string("the ") + which + " key value is empty");
    if (type == AttrType::N) {
        auto number = Number::parse(raw);
        if (!number)
            return Status(
                "ValidationException", std::string("the ") + which + " key is a number; \"" + raw + "\" is not one");
        return AttributeValue::number(*number);
    }
    if (type == AttrType::B) {
        std::string bytes;
        if (!base64Decode(raw, bytes))
            return Status("ValidationException", std::string("the ") + which + " key is binary: give it in base64");
        return AttributeValue::binary(bytes);
    }
    return AttributeValue::string(raw);
}

} // namespace

struct DataPage::Private {
    DataPage* q = nullptr;
    QString enginePath;
    std::unique_ptr<Engine> engine;
    capsim::appcore::RunSnapshot run;
    bool final = true;

    QStackedWidget* stack = nullptr;
    QLabel* message = nullptr;
    QComboBox* tableCombo = nullptr;
    QLabel* tableSummary = nullptr;
    ItemsModel* items = nullptr;
    QLabel* pageLabel = nullptr;
    QPushButton* previous = nullptr;
    QPushButton* next = nullptr;
    QLabel* sortKeyLabel = nullptr;
    QLineEdit* partitionKey = nullptr;
    QComboBox* sortOperator = nullptr;
    QLineEdit* sortValue = nullptr;
    QLineEdit* sortValue2 = nullptr;
    QLabel* queryStatus = nullptr;
    ItemsModel* queryResult = nullptr;
    PartitionsModel* partitions = nullptr;

    void showMessage(const QString& text)
    {
        message->setText(text);
        stack->setCurrentIndex(0);
    }

    void reopen()
    {
        items->detach();
        queryResult->setItems({}, {});
        partitions->setPartitions({});
        engine.reset();
        if (enginePath.isEmpty()) {
            showMessage(run
                    ? DataPage::tr(
                        "<h3>No engine data for this run</h3><p>The items and partitions of a run are kept only for "
                        "runs made in this session. This run was reopened from its results file (run.sqlite), "
                        "which holds its time series and events but not its items.</p><p>Run the scenario again "
                        "to browse its tables here.</p>")
                    : DataPage::tr(
                        "<h3>No run yet</h3><p>Run a scenario: its tables, items and partitions appear here.</p>"));
            return;
        }
        if (!final) {
            showMessage(DataPage::tr("<h3>The run is still going</h3><p>Its tables appear here when it ends.</p>"));
            return;
        }
        auto opened = Engine::open(enginePath.toStdString());
        if (!opened) {
            showMessage(DataPage::tr("<h3>Cannot open the engine database</h3><p>%1: %2</p>")
                            .arg(enginePath.toHtmlEscaped(),
                                QString::fromStdString(opened.status().toString()).toHtmlEscaped()));
            return;
        }
        engine = std::move(*opened);
        QStringList names;
        std::optional<std::string> start;
        for (;;) {
            auto listed = engine->listTables(start, 100);
            if (!listed)
                break;
            for (const auto& n : listed->tableNames)
                names.append(QString::fromStdString(n));
            if (!listed->lastEvaluatedTableName)
                break;
            start = listed->lastEvaluatedTableName;
        }
        const QString before = tableCombo->currentText();
        {
            const QSignalBlocker blocker(tableCombo);
            tableCombo->clear();
            tableCombo->addItems(names);
            const int index = tableCombo->findText(before);
            tableCombo->setCurrentIndex(index >= 0 ? index : 0);
        }
        if (names.isEmpty()) {
            showMessage(DataPage::tr("<h3>The engine database holds no table</h3>"));
            return;
        }
        stack->setCurrentIndex(1);
        showTable();
    }

    void showTable()
    {
        const std::string name = tableCombo->currentText().toStdString();
        const TableState* state = engine ? engine->table(name) : nullptr;
        if (!state)
            return;
        const Status listed = items->setSource(engine.get(), name);
        partitions->setPartitions(state->partitions);
        queryResult->setItems({}, state->key);
        queryStatus->clear();
        QString key = QStringLiteral("%1 (%2)").arg(
            QString::fromStdString(state->key.partition.name), attrTypeName(state->key.partition.type));
        if (state->key.sort)
            key += DataPage::tr(", sort key %1 (%2)")
                       .arg(QString::fromStdString(state->key.sort->name), attrTypeName(state->key.sort->type));
        tableSummary->setText(
            DataPage::tr("Partition key %1 · %2 items · %3 bytes of items (%4 billable) · %5 partition(s)")
                .arg(key)
                .arg(QString::fromStdString(formatCount(state->itemCount())))
                .arg(QString::fromStdString(formatCount(state->itemBytes())))
                .arg(QString::fromStdString(formatCount(state->billableBytes())))
                .arg(state->partitions.size()));
        partitionKey->setPlaceholderText(QString::fromStdString(state->key.partition.name));
        sortOperator->setEnabled(state->key.sort.has_value());
        sortValue->setEnabled(state->key.sort.has_value());
        sortValue2->setEnabled(state->key.sort.has_value());
        sortKeyLabel->setText(state->key.sort
                ? DataPage::tr("Sort key %1:").arg(QString::fromStdString(state->key.sort->name))
                : DataPage::tr("Sort key: (none)"));
        updatePaging(listed);
    }

    // After a page was read (`read`: the Scan's status, shown instead of the range if it failed).
    void updatePaging(const Status& read)
    {
        const int first = items->pageIndex() * static_cast<int>(ItemsModel::kPageSize) + 1;
        if (!read)
            pageLabel->setText(DataPage::tr("Cannot read the items: %1").arg(QString::fromStdString(read.toString())));
        else
            pageLabel->setText(items->rowCount() == 0
                    ? DataPage::tr("no items")
                    : DataPage::tr("items %1 to %2").arg(first).arg(first + items->rowCount() - 1));
        previous->setEnabled(items->hasPreviousPage());
        next->setEnabled(items->hasNextPage());
    }

    void runQuery()
    {
        const std::string name = tableCombo->currentText().toStdString();
        const TableState* state = engine ? engine->table(name) : nullptr;
        if (!state)
            return;
        QueryRequest request;
        request.tableName = name;
        request.expressionAttributes.names
            = std::map<std::string, std::string> { { "#pk", state->key.partition.name } };
        Item values;
        auto pk = keyValue(partitionKey->text(), state->key.partition.type, "partition");
        if (!pk) {
            queryStatus->setText(QString::fromStdString(pk.status().toString()));
            return;
        }
        values[":pk"] = *pk;
        std::string condition = "#pk = :pk";
        const QString op = sortOperator->currentText();
        if (state->key.sort && sortOperator->currentIndex() > 0) {
            (*request.expressionAttributes.names)["#sk"] = state->key.sort->name;
            auto sk = keyValue(sortValue->text(), state->key.sort->type, "sort");
            if (!sk) {
                queryStatus->setText(QString::fromStdString(sk.status().toString()));
                return;
            }
            values[":sk"] = *sk;
            if (op == QLatin1String("begins_with")) {
                condition += " AND begins_with(#sk, :sk)";
            } else if (op == QLatin1String("between")) {
                auto sk2 = keyValue(sortValue2->text(), state->key.sort->type, "second sort");
                if (!sk2) {
                    queryStatus->setText(QString::fromStdString(sk2.status().toString()));
                    return;
                }
                values[":sk2"] = *sk2;
                condition += " AND #sk BETWEEN :sk AND :sk2";
            } else {
                condition += " AND #sk " + op.toStdString() + " :sk";
            }
        }
        request.keyConditionExpression = condition;
        request.expressionAttributes.values = values;
        std::vector<Item> found;
        double units = 0;
        for (int pages = 0; pages < 50; ++pages) {
            ReadPageResponse response = engine->query(request);
            if (!response.status) {
                queryStatus->setText(QString::fromStdString(response.status.toString()));
                return;
            }
            units += response.consumed.total().total();
            for (auto& item : response.items)
                found.push_back(std::move(item));
            if (!response.lastEvaluatedKey || found.size() >= 1000)
                break;
            request.exclusiveStartKey = response.lastEvaluatedKey;
        }
        queryStatus->setText(
            DataPage::tr("%1 item(s) · KeyConditionExpression: %2 · %3 read units (eventually consistent)")
                .arg(found.size())
                .arg(QString::fromStdString(condition))
                .arg(units));
        queryResult->setItems(std::move(found), state->key);
    }
};

DataPage::DataPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->items = new ItemsModel(this);
    d->items->setObjectName(QStringLiteral("itemsModel"));
    d->queryResult = new ItemsModel(this);
    d->queryResult->setObjectName(QStringLiteral("queryModel"));
    d->partitions = new PartitionsModel(this);
    d->partitions->setObjectName(QStringLiteral("partitionsModel"));

    auto* layout = new QVBoxLayout(this);
    d->stack = new QStackedWidget(this);
    layout->addWidget(d->stack);

    d->message = new QLabel(d->stack);
    d->message->setObjectName(QStringLiteral("dataMessage"));
    d->message->setWordWrap(true);
    d->message->setAlignment(Qt::AlignCenter);
    d->message->setTextFormat(Qt::RichText);
    d->message->setMargin(60);
    d->stack->addWidget(d->message);

    auto* content = new QWidget(d->stack);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    d->tableCombo = new QComboBox(content);
    d->tableCombo->setMinimumWidth(200);
    d->tableSummary = new QLabel(content);
    d->tableSummary->setStyleSheet(QStringLiteral("color: #445"));
    bar->addWidget(new QLabel(tr("Table:"), content));
    bar->addWidget(d->tableCombo);
    bar->addSpacing(16);
    bar->addWidget(d->tableSummary, 1);
    contentLayout->addLayout(bar);

    auto* tabs = new QTabWidget(content);
    contentLayout->addWidget(tabs, 1);

    auto* itemsTab = new QWidget(tabs);
    auto* itemsLayout = new QVBoxLayout(itemsTab);
    itemsLayout->addWidget(makeTableView(d->items, itemsTab), 1);
    auto* pager = new QHBoxLayout;
    d->previous = new QPushButton(tr("< Previous %1").arg(ItemsModel::kPageSize), itemsTab);
    d->next = new QPushButton(tr("Next %1 >").arg(ItemsModel::kPageSize), itemsTab);
    d->pageLabel = new QLabel(itemsTab);
    pager->addWidget(d->previous);
    pager->addWidget(d->pageLabel);
    pager->addWidget(d->next);
    pager->addStretch(1);
    pager->addWidget(
        new QLabel(tr("Pages are read with Scan and ExclusiveStartKey, in the engine's key order."), itemsTab));
    itemsLayout->addLayout(pager);
    tabs->addTab(itemsTab, tr("Items"));

    auto* queryTab = new QWidget(tabs);
    auto* queryLayout = new QVBoxLayout(queryTab);
    auto* form = new QHBoxLayout;
    d->partitionKey = new QLineEdit(queryTab);
    d->sortOperator = new QComboBox(queryTab);
    d->sortOperator->addItems({ tr("any"), QStringLiteral("="), QStringLiteral("<"), QStringLiteral("<="),
        QStringLiteral(">"), QStringLiteral(">="), QStringLiteral("begins_with"), QStringLiteral("between") });
    d->sortValue = new QLineEdit(queryTab);
    d->sortValue2 = new QLineEdit(queryTab);
    d->sortValue2->setPlaceholderText(tr("and (between)"));
    auto* run = new QPushButton(tr("Query"), queryTab);
    run->setDefault(true);
    d->sortKeyLabel = new QLabel(queryTab);
    form->addWidget(new QLabel(tr("Partition key ="), queryTab));
    form->addWidget(d->partitionKey, 2);
    form->addSpacing(12);
    form->addWidget(d->sortKeyLabel);
    form->addWidget(d->sortOperator);
    form->addWidget(d->sortValue, 2);
    form->addWidget(d->sortValue2, 1);
    form->addWidget(run);
    queryLayout->addLayout(form);
    d->queryStatus = new QLabel(queryTab);
    d->queryStatus->setWordWrap(true);
    queryLayout->addWidget(d->queryStatus);
    queryLayout->addWidget(makeTableView(d->queryResult, queryTab), 1);
    tabs->addTab(queryTab, tr("Query by key"));

    auto* partitionsTab = new QWidget(tabs);
    auto* partitionsLayout = new QVBoxLayout(partitionsTab);
    auto* partitionsView = makeTableView(d->partitions, partitionsTab);
    partitionsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    partitionsView->horizontalHeader()->setStretchLastSection(false);
    partitionsLayout->addWidget(partitionsView, 1);
    partitionsLayout->addWidget(
        new QLabel(tr("Each partition owns a contiguous range of the 64-bit hash of the partition key. "
                      "Billable bytes add 100 bytes per item to the item sizes."),
            partitionsTab));
    tabs->addTab(partitionsTab, tr("Partitions"));
    d->stack->addWidget(content);

    connect(d->tableCombo, &QComboBox::currentIndexChanged, this, [this] { d->showTable(); });
    connect(d->previous, &QPushButton::clicked, this, [this] { d->updatePaging(d->items->previousPage()); });
    connect(d->next, &QPushButton::clicked, this, [this] { d->updatePaging(d->items->nextPage()); });
    connect(run, &QPushButton::clicked, this, [this] { d->runQuery(); });
    connect(d->partitionKey, &QLineEdit::returnPressed, this, [this] { d->runQuery(); });
    connect(d->sortValue, &QLineEdit::returnPressed, this, [this] { d->runQuery(); });
    d->reopen();
}

DataPage::~DataPage()
{
    // The models point into the engine; detach them before it goes.
    d->items->detach();
}

void DataPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    const bool changed = run != d->run || final != d->final;
    d->run = run;
    d->final = final;
    if (changed && (final || !d->engine))
        d->reopen();
}

void DataPage::setEnginePath(const QString& path)
{
    d->enginePath = path;
    d->reopen();
}

} // namespace capsim::studio

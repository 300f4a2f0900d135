#include "app/studio/pages/data_page.h"

#include "app/studio/models/display_format.h"
#include "app/studio/models/export_files.h"
#include "app/studio/models/items_model.h"
#include "app/studio/models/partitions_model.h"
#include "engine/engine.h"
#include "engine/json_codec.h"
#include "simulator/explain.h"

#include <boost/json/serialize.hpp>

#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
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
#include <QSet>

#include <algorithm>
#include <map>

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
    // The stream tab.
    QLabel* streamInfo = nullptr;
    QComboBox* shardCombo = nullptr;
    QTableWidget* streamRecords = nullptr;
    QPushButton* streamMore = nullptr;
    QWidget* streamBody = nullptr;
    std::string streamArn;
    QStringList shardIds;
    std::map<QString, std::int64_t> shardAfter; // where each shard's next read continues
    QSet<QString> shardsDone; // read to the end (for now)
    // The export files tab.
    QString s3Root;
    bool s3RootChosen = false;
    QLabel* exportInfo = nullptr;
    QTreeWidget* exportTree = nullptr;
    QPlainTextEdit* exportText = nullptr;
    QWidget* exportBody = nullptr;

    static constexpr int kStreamPage = 100;
    static constexpr int kMaxFileLines = 2000;

    QString clock(EngineTime time) const
    {
        return formatClock(static_cast<double>(time) / static_cast<double>(kMicrosPerSecond),
            run ? run->simulatedSeconds : 0.0);
    }

    // The chosen table's stream: its shards and their first records.
    void showStream()
    {
        streamRecords->setRowCount(0);
        streamArn.clear();
        {
            const QSignalBlocker blocker(shardCombo);
            shardCombo->clear();
        }
        const std::string name = tableCombo->currentText().toStdString();
        const TableState* state = engine ? engine->table(name) : nullptr;
        streamBody->setVisible(false);
        if (!state)
            return;
        auto listed = engine->listStreams(name, std::nullopt, kStreamsMaxLimit);
        if (!listed) {
            streamInfo->setText(DataPage::tr("Cannot list the streams: %1").arg(QString::fromStdString(listed.status().toString())));
            return;
        }
        if (listed->streams.empty()) {
            streamInfo->setText(DataPage::tr("<b>%1 has no stream.</b> A table's stream is set by its \"streams\" field "
                                             "in the scenario (view type and consumers).")
                                    .arg(QString::fromStdString(name).toHtmlEscaped()));
            return;
        }
        streamArn = listed->streams.front().streamArn;
        for (const auto& s : listed->streams)
            if (s.streamArn == state->stream.latestArn)
                streamArn = s.streamArn;
        auto description = engine->describeStream(streamArn);
        if (!description) {
            streamInfo->setText(DataPage::tr("Cannot describe the stream: %1").arg(QString::fromStdString(description.status().toString())));
            return;
        }
        streamInfo->setText(DataPage::tr("Stream <b>%1</b> · %2 · %3 · %n shard(s) (records are kept 24 hours).", nullptr,
                                static_cast<int>(description->shards.size()))
                                .arg(QString::fromStdString(description->streamArn).toHtmlEscaped(),
                                    QString::fromLatin1(streamViewTypeName(description->viewType)),
                                    QString::fromLatin1(streamStatusName(description->status))));
        shardIds.clear();
        {
            const QSignalBlocker blocker(shardCombo);
            shardCombo->addItem(DataPage::tr("all shards, in sequence order"), QString());
            for (const StreamShard& shard : description->shards)
                shardCombo->addItem(DataPage::tr("%1 (%2, opened %3)")
                                        .arg(QString::fromStdString(shard.shardId),
                                            shard.isOpen() ? DataPage::tr("open") : DataPage::tr("closed"),
                                            clock(shard.openedAt)),
                    QString::fromStdString(shard.shardId));
            for (const StreamShard& shard : description->shards)
                shardIds << QString::fromStdString(shard.shardId);
        }
        streamBody->setVisible(true);
        showShard();
    }

    void showShard()
    {
        streamRecords->setRowCount(0);
        shardAfter.clear();
        shardsDone.clear();
        readShard();
    }

    // Appends the next page of records of the chosen shard, or of every shard merged in sequence
    // order (Engine::readShard, with GetRecords' limits per shard).
    void readShard()
    {
        const QString chosen = shardCombo->currentData().toString();
        const QStringList shards = chosen.isEmpty() ? shardIds : QStringList { chosen };
        if (!engine || streamArn.empty() || shards.isEmpty()) {
            streamMore->setEnabled(false);
            return;
        }
        std::vector<StreamRecord> got;
        bool more = false;
        for (const QString& shard : shards) {
            if (shardsDone.contains(shard))
                continue;
            auto read = engine->readShard(streamArn, shard.toStdString(), shardAfter[shard], kStreamPage);
            if (!read) {
                streamInfo->setText(DataPage::tr("Cannot read shard %1: %2").arg(shard, QString::fromStdString(read.status().toString())));
                streamMore->setEnabled(false);
                return;
            }
            shardAfter[shard] = read->nextAfterSequence;
            if (!read->shardEnded && static_cast<int>(read->records.size()) == kStreamPage)
                more = true;
            else
                shardsDone.insert(shard);
            for (auto& r : read->records)
                got.push_back(std::move(r));
        }
        std::sort(got.begin(), got.end(), [](const StreamRecord& a, const StreamRecord& b) { return a.sequence < b.sequence; });
        const auto itemText = [](const std::optional<Item>& item) {
            return item ? QString::fromStdString(boost::json::serialize(itemToJson(*item))) : QString();
        };
        int row = streamRecords->rowCount();
        streamRecords->setRowCount(row + static_cast<int>(got.size()));
        for (const StreamRecord& r : got) {
            const QStringList cells = { QString::fromStdString(sequenceNumberText(r.sequence)), clock(r.time),
                QString::fromLatin1(streamEventNameText(r.eventName)), itemText(r.keys), itemText(r.newImage),
                itemText(r.oldImage), QString::number(r.sizeBytes), QString::fromStdString(r.shardId),
                r.byService ? DataPage::tr("TTL (dynamodb.amazonaws.com)") : QString() };
            for (int c = 0; c < cells.size(); ++c) {
                auto* cell = new QTableWidgetItem(cells[c]);
                if (c >= 3 && c <= 5)
                    cell->setToolTip(cells[c]);
                streamRecords->setItem(row, c, cell);
            }
            ++row;
        }
        // Columns as wide as their text, keys and images at most 360 px (the tooltip shows the whole image).
        streamRecords->resizeColumnsToContents();
        for (int c = 0; c < streamRecords->columnCount() - 1; ++c)
            streamRecords->setColumnWidth(c, std::min(streamRecords->columnWidth(c), 360));
        streamMore->setEnabled(more);
        streamMore->setText(streamRecords->rowCount() == 0 ? DataPage::tr("No records")
                                                           : DataPage::tr("Next %1 records").arg(kStreamPage));
    }

    // The exports under the S3 folder, each with its files.
    void showExports()
    {
        exportTree->clear();
        exportText->clear();
        const auto exports = findExports(s3Root);
        std::size_t runExports = 0;
        if (run)
            for (const TableResult& t : run->tables)
                runExports += t.exports.size();
        if (exports.empty()) {
            exportBody->setVisible(false);
            exportInfo->setText(runExports == 0
                    ? DataPage::tr("<b>This run made no export.</b> An \"exportTable\" event (the table needs PITR) writes "
                                   "one to the folder that stands for S3; choose another folder to browse its exports.")
                    : DataPage::tr("<b>No export files found</b> in %1 (the run lists %2 export(s)). Choose the folder "
                                   "that stands for S3.").arg(s3Root.toHtmlEscaped()).arg(runExports));
            return;
        }
        exportBody->setVisible(true);
        exportInfo->setText(DataPage::tr("%n export(s) in %1. Choose a file: manifests are shown as JSON, data files as "
                                         "their decompressed lines.", nullptr, static_cast<int>(exports.size()))
                                .arg(s3Root.toHtmlEscaped()));
        for (const ExportFolder& e : exports) {
            auto* top = new QTreeWidgetItem(exportTree, { e.relativePath, QString() });
            top->setData(0, Qt::UserRole, QString());
            for (const QString& f : e.files) {
                const QFileInfo info(f);
                const QString shown = f.startsWith(e.path + QLatin1Char('/')) ? f.mid(e.path.size() + 1) : info.fileName();
                auto* child = new QTreeWidgetItem(top, { shown, QString::fromStdString(formatCount(info.size())) });
                child->setData(0, Qt::UserRole, f);
            }
            top->setExpanded(true);
        }
        exportTree->resizeColumnToContents(0);
        exportTree->resizeColumnToContents(1);
    }

    void showExportFile(const QString& path)
    {
        if (path.isEmpty())
            return;
        QStringList lines;
        bool truncated = false;
        QString error;
        if (!readExportFileLines(path, kMaxFileLines, lines, truncated, error)) {
            exportText->setPlainText(error);
            return;
        }
        if (path.endsWith(QStringLiteral("manifest-summary.json"))) {
            const QJsonDocument doc = QJsonDocument::fromJson(lines.join(QLatin1Char('\n')).toUtf8());
            if (doc.isObject()) {
                exportText->setPlainText(QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
                return;
            }
        }
        QString text = lines.join(QLatin1Char('\n'));
        if (lines.isEmpty())
            text = DataPage::tr("(empty file: an empty partition yields an empty data file)");
        if (truncated)
            text += DataPage::tr("\n… (the first %1 lines)").arg(kMaxFileLines);
        exportText->setPlainText(text);
    }

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
        showExports();
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
        showStream();
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

    auto* streamTab = new QWidget(tabs);
    auto* streamLayout = new QVBoxLayout(streamTab);
    d->streamInfo = new QLabel(streamTab);
    d->streamInfo->setObjectName(QStringLiteral("streamInfo"));
    d->streamInfo->setWordWrap(true);
    d->streamInfo->setTextFormat(Qt::RichText);
    streamLayout->addWidget(d->streamInfo);
    d->streamBody = new QWidget(streamTab);
    auto* streamBodyLayout = new QVBoxLayout(d->streamBody);
    streamBodyLayout->setContentsMargins(0, 0, 0, 0);
    auto* shardBar = new QHBoxLayout;
    shardBar->addWidget(new QLabel(tr("Shard:"), d->streamBody));
    d->shardCombo = new QComboBox(d->streamBody);
    d->shardCombo->setObjectName(QStringLiteral("shardCombo"));
    shardBar->addWidget(d->shardCombo, 1);
    d->streamMore = new QPushButton(tr("Next %1 records").arg(Private::kStreamPage), d->streamBody);
    d->streamMore->setObjectName(QStringLiteral("streamMore"));
    shardBar->addWidget(d->streamMore);
    streamBodyLayout->addLayout(shardBar);
    d->streamRecords = new QTableWidget(0, 9, d->streamBody);
    d->streamRecords->setObjectName(QStringLiteral("streamRecords"));
    d->streamRecords->setHorizontalHeaderLabels({ tr("SequenceNumber"), tr("Time"), tr("Event"), tr("Keys"),
        tr("NewImage"), tr("OldImage"), tr("SizeBytes"), tr("Shard"), tr("User identity") });
    d->streamRecords->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->streamRecords->setAlternatingRowColors(true);
    d->streamRecords->setSelectionBehavior(QAbstractItemView::SelectRows);
    d->streamRecords->verticalHeader()->setDefaultSectionSize(22);
    d->streamRecords->horizontalHeader()->setStretchLastSection(true);
    streamBodyLayout->addWidget(d->streamRecords, 1);
    streamBodyLayout->addWidget(new QLabel(tr("Records are read shard by shard (GetRecords' limits), at most %1 per shard at a time; "
                                              "\"all shards\" merges them in sequence order.").arg(Private::kStreamPage), d->streamBody));
    streamLayout->addWidget(d->streamBody, 1);
    streamLayout->addStretch(0);
    tabs->addTab(streamTab, tr("Stream"));

    auto* exportTab = new QWidget(tabs);
    auto* exportLayout = new QVBoxLayout(exportTab);
    auto* exportBar = new QHBoxLayout;
    d->exportInfo = new QLabel(exportTab);
    d->exportInfo->setObjectName(QStringLiteral("exportInfo"));
    d->exportInfo->setWordWrap(true);
    d->exportInfo->setTextFormat(Qt::RichText);
    exportBar->addWidget(d->exportInfo, 1);
    auto* chooseRoot = new QPushButton(tr("S3 folder..."), exportTab);
    chooseRoot->setToolTip(tr("Choose the folder that stands for Amazon S3 (buckets are its sub-folders)."));
    exportBar->addWidget(chooseRoot);
    exportLayout->addLayout(exportBar);
    d->exportBody = new QSplitter(Qt::Horizontal, exportTab);
    d->exportTree = new QTreeWidget(d->exportBody);
    d->exportTree->setObjectName(QStringLiteral("exportTree"));
    d->exportTree->setHeaderLabels({ tr("Export / file"), tr("Bytes") });
    d->exportText = new QPlainTextEdit(d->exportBody);
    d->exportText->setObjectName(QStringLiteral("exportText"));
    d->exportText->setReadOnly(true);
    d->exportText->setLineWrapMode(QPlainTextEdit::NoWrap);
    d->exportText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    static_cast<QSplitter*>(d->exportBody)->setStretchFactor(1, 2);
    static_cast<QSplitter*>(d->exportBody)->setSizes({ 440, 900 });
    exportLayout->addWidget(d->exportBody, 1);
    exportLayout->addStretch(0);
    tabs->addTab(exportTab, tr("Export files"));
    d->stack->addWidget(content);

    connect(d->shardCombo, &QComboBox::currentIndexChanged, this, [this] { d->showShard(); });
    connect(d->streamMore, &QPushButton::clicked, this, [this] { d->readShard(); });
    connect(d->exportTree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item)
            d->showExportFile(item->data(0, Qt::UserRole).toString());
    });
    connect(chooseRoot, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("The folder that stands for S3"), d->s3Root);
        if (!folder.isEmpty())
            setS3Root(folder);
    });

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
    if (!d->s3RootChosen)
        d->s3Root = path.isEmpty() ? QString() : path + QStringLiteral(".s3");
    d->reopen();
}

void DataPage::setS3Root(const QString& path)
{
    d->s3Root = path;
    d->s3RootChosen = !path.isEmpty();
    if (d->engine)
        d->showExports();
}

QString DataPage::s3Root() const
{
    return d->s3Root;
}

} // namespace capsim::studio

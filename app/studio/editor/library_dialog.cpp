#include "app/studio/editor/library_dialog.h"

#include "simulator/embedded_resources.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace capsim::studio {

namespace {

struct Lesson {
    QString fileName;
    QString json;
    QString name;
    QString description;
    QString facts;
};

QString durationText(const QJsonValue& value)
{
    return value.isString() ? value.toString() : QString::number(value.toDouble()) + QStringLiteral(" s");
}

QList<Lesson> loadLessons()
{
    QList<Lesson> lessons;
    for (const auto& path : embeddedResourcePaths()) {
        const QString p = QString::fromStdString(path);
        if (!p.startsWith(QStringLiteral("scenarios/")) || !p.endsWith(QStringLiteral(".json")))
            continue;
        const std::string* text = embeddedResource(path);
        if (!text)
            continue;
        Lesson lesson;
        lesson.fileName = QFileInfo(p).fileName();
        lesson.json = QString::fromStdString(*text);
        const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(*text)).object();
        lesson.name = o.value(QStringLiteral("name")).toString(lesson.fileName);
        lesson.description = o.value(QStringLiteral("description")).toString();
        QStringList tables;
        for (const auto& t : o.value(QStringLiteral("tables")).toArray()) {
            const QJsonObject table = t.toObject();
            tables << QStringLiteral("%1 (%2)").arg(table.value(QStringLiteral("name")).toString(),
                table.value(QStringLiteral("billingMode")).toString() == QStringLiteral("PAY_PER_REQUEST")
                    ? QObject::tr("on demand")
                    : QObject::tr("provisioned"));
        }
        lesson.facts = QObject::tr("Runs %1 · %n workload(s) · tables: %2", nullptr,
            static_cast<int>(o.value(QStringLiteral("workloads")).toArray().size()))
                           .arg(durationText(o.value(QStringLiteral("duration"))), tables.join(QStringLiteral(", ")));
        lessons.append(lesson);
    }
    return lessons;
}

} // namespace

struct LibraryDialog::Private {
    QList<Lesson> lessons;
    QListWidget* list = nullptr;
    QLabel* title = nullptr;
    QLabel* facts = nullptr;
    QLabel* description = nullptr;
    QString chosenJson;
    QString chosenFile;
};

LibraryDialog::LibraryDialog(QWidget* parent)
    : QDialog(parent)
    , d(std::make_unique<Private>())
{
    setWindowTitle(tr("Scenario library"));
    resize(1000, 620);
    d->lessons = loadLessons();

    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Each lesson is a small scenario that shows one DynamoDB capacity behaviour. Pick "
                                "one, open it, run it, then change one thing and compare."));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* splitter = new QSplitter(Qt::Horizontal);
    layout->addWidget(splitter, 1);
    d->list = new QListWidget;
    d->list->setObjectName(QStringLiteral("lessonList"));
    d->list->setMinimumWidth(260);
    d->list->setSpacing(3);
    for (const auto& lesson : d->lessons) {
        auto* item = new QListWidgetItem(QStringLiteral("%1\n%2").arg(lesson.name, lesson.fileName), d->list);
        item->setToolTip(lesson.description);
    }
    splitter->addWidget(d->list);

    auto* detail = new QWidget;
    auto* detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(16, 8, 16, 8);
    d->title = new QLabel;
    QFont titleFont = d->title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    d->title->setFont(titleFont);
    d->facts = new QLabel;
    d->facts->setWordWrap(true);
    d->facts->setStyleSheet(QStringLiteral("color: #555;"));
    d->description = new QLabel;
    d->description->setObjectName(QStringLiteral("lessonDescription"));
    d->description->setWordWrap(true);
    d->description->setTextInteractionFlags(Qt::TextSelectableByMouse);
    d->description->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    QFont bodyFont = d->description->font();
    bodyFont.setPointSizeF(bodyFont.pointSizeF() * 1.1);
    d->description->setFont(bodyFont);
    detailLayout->addWidget(d->title);
    detailLayout->addWidget(d->facts);
    detailLayout->addSpacing(8);
    detailLayout->addWidget(d->description);
    detailLayout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(detail);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 300, 700 });

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(d->list, &QListWidget::itemDoubleClicked, this, &QDialog::accept);
    connect(d->list, &QListWidget::currentRowChanged, this, [this, buttons](int row) {
        buttons->button(QDialogButtonBox::Open)->setEnabled(row >= 0);
        if (row < 0 || row >= d->lessons.size())
            return;
        const Lesson& lesson = d->lessons[row];
        d->title->setText(lesson.name);
        d->facts->setText(lesson.facts + QStringLiteral(" · ") + lesson.fileName);
        d->description->setText(lesson.description);
        d->chosenJson = lesson.json;
        d->chosenFile = lesson.fileName;
    });
    if (!d->lessons.isEmpty())
        d->list->setCurrentRow(0);
}

LibraryDialog::~LibraryDialog() = default;

QString LibraryDialog::scenarioJson() const
{
    return d->chosenJson;
}

QString LibraryDialog::fileName() const
{
    return d->chosenFile;
}

} // namespace capsim::studio

#include "app/studio/pages/explain_page.h"

#include "simulator/explain.h"

#include <QLabel>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>

namespace capsim::studio {

namespace {

// Simulated times as explainRun writes them: "[<d>d ]hh:mm[:ss]".
const QRegularExpression& clockPattern()
{
    static const QRegularExpression pattern(QStringLiteral("\\b(?:(\\d+)d )?(\\d{2}):(\\d{2})(?::(\\d{2}))?\\b"));
    return pattern;
}

// One paragraph as HTML, every simulated time a link "time:<seconds>".
QString paragraphHtml(const QString& text)
{
    QString html;
    qsizetype done = 0;
    auto it = clockPattern().globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        const double seconds = m.captured(1).toDouble() * 86400 + m.captured(2).toDouble() * 3600
            + m.captured(3).toDouble() * 60 + m.captured(4).toDouble();
        html += text.mid(done, m.capturedStart() - done).toHtmlEscaped();
        html += QStringLiteral("<a href=\"time:%1\">%2</a>").arg(seconds).arg(m.captured(0).toHtmlEscaped());
        done = m.capturedEnd();
    }
    html += text.mid(done).toHtmlEscaped();
    return html;
}

} // namespace

struct ExplainPage::Private {
    QLabel* heading = nullptr;
    QLabel* lesson = nullptr;
    QTextBrowser* browser = nullptr;
    capsim::appcore::RunSnapshot run;
    std::vector<std::string> paragraphs;
};

ExplainPage::ExplainPage(QWidget* parent)
    : ResultPage(parent)
    , d(std::make_unique<Private>())
{
    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* column = new QWidget(this);
    column->setMaximumWidth(960);
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(24, 16, 24, 16);
    layout->setSpacing(10);

    d->heading = new QLabel(column);
    d->heading->setObjectName(QStringLiteral("explainHeading"));
    QFont headingFont = d->heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.5);
    headingFont.setBold(true);
    d->heading->setFont(headingFont);
    d->heading->setWordWrap(true);

    d->lesson = new QLabel(column);
    d->lesson->setObjectName(QStringLiteral("explainLesson"));
    d->lesson->setWordWrap(true);
    d->lesson->setTextFormat(Qt::PlainText);
    d->lesson->setStyleSheet(QStringLiteral(
        "QLabel { background: #f3f6fa; border: 1px solid #d5dde8; border-radius: 4px; padding: 10px; color: #34404f; }"));

    d->browser = new QTextBrowser(column);
    d->browser->setObjectName(QStringLiteral("explainText"));
    d->browser->setOpenLinks(false);
    d->browser->setFrameShape(QFrame::NoFrame);
    QFont bodyFont = d->browser->font();
    bodyFont.setPointSizeF(bodyFont.pointSizeF() * 1.15);
    d->browser->setFont(bodyFont);
    d->browser->document()->setDocumentMargin(4);
    d->browser->document()->setDefaultStyleSheet(QStringLiteral(
        "p { margin-top: 0px; margin-bottom: 14px; line-height: 135%; } a { color: #1f5fa8; text-decoration: none; font-weight: 600; }"));
    connect(d->browser, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == QLatin1String("time"))
            emit timeSelected(url.path().toDouble());
    });

    layout->addWidget(d->heading);
    layout->addWidget(d->lesson);
    layout->addWidget(d->browser, 1);
    outer->addStretch(0);
    outer->addWidget(column, 1);
    outer->addStretch(0);
    setRun(nullptr, true);
}

ExplainPage::~ExplainPage() = default;

void ExplainPage::setRun(capsim::appcore::RunSnapshot run, bool final)
{
    d->run = run;
    if (!run) {
        d->paragraphs.clear();
        d->heading->setText(tr("Explain"));
        d->lesson->setVisible(false);
        d->browser->setHtml(QStringLiteral("<p>%1</p>")
                                .arg(tr("Run a scenario to read here what happened in it, and why.").toHtmlEscaped()));
        return;
    }
    d->paragraphs = explainRun(*run);
    d->heading->setText(final ? tr("What happened in \"%1\"").arg(QString::fromStdString(run->scenario))
                              : tr("What has happened so far in \"%1\"").arg(QString::fromStdString(run->scenario)));
    d->lesson->setText(QString::fromStdString(run->description));
    d->lesson->setVisible(!run->description.empty());
    QString html;
    for (const auto& p : d->paragraphs)
        html += QStringLiteral("<p>") + paragraphHtml(QString::fromStdString(p)) + QStringLiteral("</p>");
    d->browser->setHtml(html);
}

void ExplainPage::showTime(double seconds)
{
    // Scroll to the first paragraph that mentions a time at or after `seconds`.
    auto* doc = d->browser->document();
    for (auto block = doc->begin(); block.isValid(); block = block.next()) {
        auto it = clockPattern().globalMatch(block.text());
        while (it.hasNext()) {
            const auto m = it.next();
            const double t = m.captured(1).toDouble() * 86400 + m.captured(2).toDouble() * 3600
                + m.captured(3).toDouble() * 60 + m.captured(4).toDouble();
            if (t >= seconds) {
                QTextCursor cursor(block);
                d->browser->setTextCursor(cursor);
                d->browser->ensureCursorVisible();
                return;
            }
        }
    }
}

} // namespace capsim::studio

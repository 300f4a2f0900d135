#include "app/studio/charts/event_markers.h"

#include <QRegularExpression>

namespace capsim::studio::charts {

EventDimension eventDimension(const RunEvent& event)
{
    if (event.detail.rfind("read ", 0) == 0)
        return EventDimension::Read;
    if (event.detail.rfind("write ", 0) == 0)
        return EventDimension::Write;
    return EventDimension::Both;
}

std::vector<ZoomChartView::Marker> eventMarkers(
    const std::vector<RunEvent>& events, const std::string& table, EventDimension dimension)
{
    static const QRegularExpression arrow(QStringLiteral("-> (\\d+)"));
    std::vector<ZoomChartView::Marker> markers;
    for (const RunEvent& e : events) {
        if (!e.table.empty() && e.table != table)
            continue;
        const EventDimension d = eventDimension(e);
        if (dimension != EventDimension::Both && d != EventDimension::Both && d != dimension)
            continue;
        const QString detail = QString::fromStdString(e.detail);
        const QRegularExpressionMatch to = arrow.match(detail);
        QString label;
        QColor colour;
        if (e.kind == "scaleOut") {
            label = QStringLiteral("scale out → %1").arg(to.captured(1));
            colour = QColor(0x2c, 0xa0, 0x2c);
        } else if (e.kind == "scaleIn") {
            label = QStringLiteral("scale in → %1").arg(to.captured(1));
            colour = QColor(0x17, 0x9c, 0xb0);
        } else if (e.kind == "capacityChanged") {
            label = QStringLiteral("capacity %1").arg(to.captured(1));
            colour = QColor(0x1b, 0x2a, 0x49);
        } else if (e.kind == "partitionSplit") {
            label = QStringLiteral("split → %1").arg(to.captured(1));
            colour = QColor(0x94, 0x67, 0xbd);
        } else if (e.kind == "eventApplied") {
            label = detail.left(28);
            colour = QColor(0xe0, 0x7b, 0x00);
        } else if (e.kind == "eventRefused") {
            label = QStringLiteral("refused");
            colour = QColor(0xa0, 0x18, 0x18);
        } else if (e.kind == "modeSwitch") {
            label = detail.left(28);
            colour = QColor(0x8c, 0x56, 0x4b);
        } else {
            continue;
        }
        markers.push_back({ e.timeSeconds / 60.0, label, colour,
            QStringLiteral("%1: %2").arg(QString::fromStdString(e.kind), detail) });
    }
    return markers;
}

} // namespace capsim::studio::charts

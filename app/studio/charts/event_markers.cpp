#include "app/studio/charts/event_markers.h"

namespace capsim::studio::charts {

EventDimension eventDimension(const RunEvent& event)
{
    const auto dimension = capsim::eventDimension(event);
    if (!dimension)
        return EventDimension::Both;
    return *dimension == Dimension::Read ? EventDimension::Read : EventDimension::Write;
}

std::vector<ZoomChartView::Marker> eventMarkers(
    const std::vector<RunEvent>& events, const std::string& table, EventDimension dimension)
{
    std::vector<ZoomChartView::Marker> markers;
    for (const RunEvent& e : events) {
        if (!e.table.empty() && e.table != table)
            continue;
        const EventDimension d = charts::eventDimension(e);
        if (dimension != EventDimension::Both && d != EventDimension::Both && d != dimension)
            continue;
        const QString detail = QString::fromStdString(eventText(e));
        const auto target = eventTarget(e);
        const QString to = target ? QString::number(*target) : QString();
        QString label;
        QColor colour;
        switch (e.kind) {
        case EventKind::ScaleOut:
            label = QStringLiteral("scale out → %1").arg(to);
            colour = QColor(0x2c, 0xa0, 0x2c);
            break;
        case EventKind::ScaleIn:
            label = QStringLiteral("scale in → %1").arg(to);
            colour = QColor(0x17, 0x9c, 0xb0);
            break;
        case EventKind::CapacityChanged:
            label = QStringLiteral("capacity %1").arg(to);
            colour = QColor(0x1b, 0x2a, 0x49);
            break;
        case EventKind::PartitionSplit:
            label = QStringLiteral("split → %1").arg(to);
            colour = QColor(0x94, 0x67, 0xbd);
            break;
        case EventKind::EventApplied:
            label = detail.left(28);
            colour = QColor(0xe0, 0x7b, 0x00);
            break;
        case EventKind::EventRefused:
            label = QStringLiteral("refused");
            colour = QColor(0xa0, 0x18, 0x18);
            break;
        case EventKind::ModeSwitch:
            label = detail.left(28);
            colour = QColor(0x8c, 0x56, 0x4b);
            break;
        default: continue;
        }
        markers.push_back({ e.timeSeconds / 60.0, label, colour,
            QStringLiteral("%1: %2").arg(QString::fromUtf8(eventKindName(e.kind).data(),
                                             static_cast<qsizetype>(eventKindName(e.kind).size())),
                detail) });
    }
    return markers;
}

} // namespace capsim::studio::charts

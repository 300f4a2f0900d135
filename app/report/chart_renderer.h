#pragma once
// The report charts of one run: capacity, partition heat map and cost, drawn with QPainter on a
// QImage (no Qt Charts, no widgets) so the headless `capsim run` can render them under the
// offscreen platform. Free functions over an immutable RunResult; they need a QGuiApplication
// (for fonts) and may be called from any thread.

#include "simulator/results.h"
#include "simulator/results_view.h"

#include <QImage>
#include <QRgb>
#include <QSize>
#include <QString>

#include <vector>

namespace capsim::report {

// Colours a user (and the tests) can find in the images: consumed capacity's area fill and the
// throttle bars' red, both drawn opaque.
inline constexpr QRgb kConsumedFill = 0xffa9cdee;
inline constexpr QRgb kThrottleRed = 0xffd62728;
inline constexpr QRgb kNoPartitionGrey = 0xffd9d9d9;

// The heat map's colour for a partition's limit utilisation: pale at 0, dark red at 1 (the
// partition's hard limit), darker still up to 1.5 and beyond. Darker means hotter throughout.
QRgb utilisationColour(double limitUtilisation);

// Stacked panels over the table's minutes: its reads and writes, then each global secondary
// index's writes (and its reads when anything read it), so an index that throttles its table
// shows there. Each panel: provisioned capacity (or the on-demand ceiling) as a step line,
// consumed units/s as a filled area, throttled requests per minute as red bars on a right axis,
// and markers for the table's (or index's) scaling, split and scenario events (events whose
// table is empty apply to every table). An invalid size means capacityChartSize(table).
QImage capacityChart(const TableResult& table, const std::vector<RunEvent>& events, QSize size = QSize());

// How many GSI panels capacityChart draws for the table.
std::size_t gsiPanelCount(const TableResult& table);

// The default size of the table's capacity chart: 1400 × 800, plus 340 pixels per GSI panel.
QSize capacityChartSize(const TableResult& table);

// Time × partition: one row per partition id in order of first appearance, coloured by
// `colouring` (by default each partition's own limit, limitUtilisation; the scale's title says
// which); grey where the partition does not exist; a mark where a split created it.
QImage heatMap(const TableResult& table, QSize size = QSize(1400, 700), const HeatColouring& colouring = {});

// Cumulative cost (costToDate) per table and their total, with a breakdown box per table.
QImage costChart(const RunResult& run, QSize size = QSize(1400, 700));

// The table's name made safe as part of a file name (anything but letters, digits, '.', '-', '_'
// becomes '_').
QString chartFileStem(const std::string& tableName);

// Writes into directory (created if missing): capacity-<table>.png and heatmap-<table>.png per
// table, cost.png, and capacity.png / heatmap.png for the first table. Returns false with *error
// (if given) naming the file that could not be written.
bool writeCharts(const RunResult& run, const QString& directory, QString* error);

} // namespace capsim::report

#pragma once
// The chart of a sweep (`capsim sweep`, `capsim merge`): three panels, cost per point, throttled
// requests as a share of requests, and failed requests, the first --vary on the x axis (its values as
// categories, in --vary order) and one line per combination of the other varied values; the
// advisor's choice, when given, ringed. Drawn with QPainter on a QImage like the run charts, so it
// renders offscreen; needs a QGuiApplication (fonts). Any thread.

#include "simulator/sweep_results.h"

#include <QImage>
#include <QSize>

#include <optional>
#include <string>
#include <vector>

namespace capsim::report {

QImage sweepChart(const std::string& title, const std::vector<std::string>& variedPaths,
    const std::vector<SweepRow>& rows, std::optional<std::size_t> chosenPoint = std::nullopt,
    QSize size = QSize(1400, 1150));

} // namespace capsim::report

#pragma once
// The colours every rendered chart shares (the run charts of chart_renderer.cpp, the sweep chart).

#include <QColor>

#include <array>

namespace capsim::report::palette {

constexpr QRgb kText = 0xff222222;
constexpr QRgb kGrid = 0xffe4e4e4;
constexpr QRgb kAxis = 0xff606060;
// Distinct hues for one line per series: Tableau 10 without its red, which marks throttling (run
// charts) or the advisor's choice (sweep chart).
constexpr std::array<QRgb, 9> kSeriesColours
    = { 0xff1f77b4, 0xffff7f0e, 0xff2ca02c, 0xff9467bd, 0xff8c564b, 0xffe377c2, 0xff7f7f7f, 0xffbcbd22, 0xff17becf };

} // namespace capsim::report::palette

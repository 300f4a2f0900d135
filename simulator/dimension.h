#pragma once
// Dimension: read or write capacity. Per-dimension state lives in arrays indexed by
// dimensionIndex(Dimension), not in xRead/xWrite pairs.

#include <array>
#include <cstddef>
#include <string_view>

namespace capsim {

enum class Dimension { Read = 0, Write = 1 };

inline constexpr std::array<Dimension, 2> kDimensions{Dimension::Read, Dimension::Write};

constexpr std::size_t dimensionIndex(Dimension d) { return static_cast<std::size_t>(d); }

constexpr std::string_view dimensionName(Dimension d) { return d == Dimension::Read ? "read" : "write"; }

// A value per dimension: `PerDimension<double> consumed; consumed[Dimension::Read] += ...`.
template <typename T>
struct PerDimension {
    std::array<T, 2> values{};
    constexpr T& operator[](Dimension d) { return values[dimensionIndex(d)]; }
    constexpr const T& operator[](Dimension d) const { return values[dimensionIndex(d)]; }
};

} // namespace capsim

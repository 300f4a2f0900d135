#pragma once
// TokenBucket: a real-valued bucket that refills continuously with virtual time and may go
// negative (reference A3: requests are charged after they run). Value type.

#include "workloads/spec.h"

#include <algorithm>

namespace capsim {

struct TokenBucket {
    double tokens = 0.0;
    double capacity = 0.0;
    double ratePerSecond = 0.0;
    SimTime updatedAt = 0;

    // Adds the tokens accrued since updatedAt; returns what did not fit (the overflow).
    double refill(SimTime now)
    {
        if (now <= updatedAt)
            return 0.0;
        const double added = ratePerSecond * static_cast<double>(now - updatedAt) / static_cast<double>(kSimSecond);
        updatedAt = now;
        tokens += added;
        if (tokens > capacity) {
            const double overflow = tokens - capacity;
            tokens = capacity;
            return std::min(overflow, added);
        }
        return 0.0;
    }
    bool positive() const { return tokens > 0.0; }
};

} // namespace capsim

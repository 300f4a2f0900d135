#include "engine/metering.h"

#include <algorithm>

namespace capsim {

std::int64_t strongReadUnits(std::int64_t sizeBytes)
{
    if (sizeBytes < 1)
        sizeBytes = 1;
    return (sizeBytes + kReadUnitBytes - 1) / kReadUnitBytes;
}

double readUnits(std::int64_t sizeBytes, Consistency consistency)
{
    const auto units = static_cast<double>(strongReadUnits(sizeBytes));
    switch (consistency) {
    case Consistency::Eventual: return units * 0.5;
    case Consistency::Strong: return units;
    case Consistency::Transactional: return units * kTransactionalFactor;
    }
    return units;
}

double pageReadUnits(std::int64_t pageBytes, Consistency consistency, std::int64_t minimumStrongUnits)
{
    const auto units = static_cast<double>(std::max(strongReadUnits(pageBytes), minimumStrongUnits));
    switch (consistency) {
    case Consistency::Eventual: return units * 0.5;
    case Consistency::Strong: return units;
    case Consistency::Transactional: return units * kTransactionalFactor;
    }
    return units;
}

double transactionalReadUnits(std::int64_t sizeBytes)
{
    return kTransactionalFactor * readUnits(sizeBytes, Consistency::Strong);
}

std::int64_t writeUnits(std::int64_t sizeBytes)
{
    if (sizeBytes < 1)
        sizeBytes = 1;
    return (sizeBytes + kWriteUnitBytes - 1) / kWriteUnitBytes;
}

std::int64_t itemWriteUnits(std::int64_t oldBytes, std::int64_t newBytes)
{
    return writeUnits(std::max(oldBytes, newBytes));
}

double transactionalWriteUnits(std::int64_t billedBytes)
{
    return kTransactionalFactor * static_cast<double>(writeUnits(billedBytes));
}

std::int64_t indexEntryWriteUnits(std::int64_t entryBytes)
{
    return writeUnits(entryBytes);
}

std::int64_t indexEntryUpdateUnits(std::int64_t beforeBytes, std::int64_t afterBytes)
{
    return writeUnits(std::max(beforeBytes, afterBytes));
}

} // namespace capsim

// The data features that record item changes durably, in the storage transaction of the change
// itself (Engine::applyWrite calls recordChange before the commit): stream records, the PITR
// change log and the TTL schedule. Each feature adds its test to recordsChanges and its record
// to recordChange, nothing more. Subscribers (Engine::subscribe) are for reactions after the
// commit; what must never be lost or doubled by a crash is recorded here.
#include "engine/engine.h"

namespace capsim {

bool Engine::recordsChanges(const TableState& table) const
{
    return table.ttl.enabled || pitrRecordsChanges(table) || streamRecordsChanges(table) || table.isGlobal();
}

Status Engine::recordChange(TableState& table, const WriteChange& change)
{
    // A global table's TTL deletions happen in its first replica and replicate (reference A11:
    // free where they happen, replicated writes elsewhere); the others keep no schedule.
    if (table.ttl.enabled && (!table.isGlobal() || table.replicas.front().region == table.region))
        CAPSIM_RETURN_IF_ERROR(recordTtl(table, change));
    CAPSIM_RETURN_IF_ERROR(recordPitrChange(table, change));
    CAPSIM_RETURN_IF_ERROR(recordStreamChange(table, change));
    if (table.isGlobal())
        CAPSIM_RETURN_IF_ERROR(recordReplication(table, change));
    return Status::ok();
}

} // namespace capsim

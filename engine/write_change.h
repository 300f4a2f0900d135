#pragma once
// WriteChange: the record the engine's one write path (Engine::applyWrite) emits for every
// change to an item, delivered to subscribers (Engine::subscribe) after the storage transaction
// commits, in the order applied. Streams, TTL, the PITR change log, global-table replication
// and DAX write-through subscribe to it. Value type.

#include "engine/attribute_value.h"
#include "engine/table.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace capsim {

// Why an item changed.
enum class WriteCause { UserWrite, Batch, Transaction, TtlDeletion, Restore, Replication, Import };

const char* writeCauseName(WriteCause cause);

struct WriteChange {
    std::string tableName;
    std::string region; // the region of the changed table (reference A11); always set
    Item key; // the table's key attributes
    std::optional<Item> oldImage; // empty when the item did not exist
    std::optional<Item> newImage; // empty when the item was deleted
    std::int64_t oldSizeBytes = 0; // 0 without an old image
    std::int64_t newSizeBytes = 0; // 0 without a new image
    // The table's write units for this item (the transactional factor included; index upkeep,
    // reported in the operation's ConsumedCapacity, is not).
    double writeUnits = 0.0;
    WriteCause cause = WriteCause::UserWrite;
    // TransactWriteItems' `now`; for calls that take no time, the latest time given to the
    // engine (Engine::advanceTime or a call that takes `now`).
    EngineTime time = 0;
    std::string transactionId; // empty unless cause is Transaction; shared by its records
    // Cause Replication (global tables, reference A11): the region the change was committed in
    // and its commit time there (writeUnits: the destination's base-table units, never x2).
    std::string originRegion;
    EngineTime originTime = 0;
    // Cause Replication: the write units each GSI of the destination spent on the change, for
    // the simulator to charge (A11); may be empty otherwise.
    std::map<std::string, double> indexWriteUnits;
};

using WriteChangeListener = std::function<void(const WriteChange&)>;
using SubscriptionId = std::uint64_t;

} // namespace capsim

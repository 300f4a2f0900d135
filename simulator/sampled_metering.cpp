#include "simulator/simulator_impl.h"

#include "engine/metering.h"

#include <algorithm>
#include <variant>

namespace capsim {

std::int64_t Simulator::Impl::knownSize(TableRuntime& t, std::int64_t keyIndex, std::int64_t sortIndex,
    const std::string& key) const
{
    auto known = lastWrittenSize.find(key);
    if (known != lastWrittenSize.end())
        return known->second;
    if (!t.spec->initialData)
        return 0;
    // Never written during the run: the size initialData gave the item.
    const std::int64_t ordinal = keyIndex * std::max<std::int64_t>(1, t.spec->initialData->sortKeysPerKey) + sortIndex;
    if (ordinal >= 0 && ordinal < static_cast<std::int64_t>(t.initialSizes.size()))
        return t.initialSizes[static_cast<std::size_t>(ordinal)];
    return 0;
}

Status Simulator::Impl::meterWithoutEngine(PendingRequest& r, TableRuntime& t)
{
    // Sampled fidelity, a key outside the sample: metered from the generated size (writes) or
    // the size last written for the key (reads), without executing (scenario-format.md, Fidelity).
    const Dimension d = dimensionOf(r.request.type);
    const std::string key = keyLabel(r.request);
    const std::int64_t oldSize = knownSize(t, r.request.partitionKeyIndex, 0, key);
    ConsumedCapacity consumed;
    std::int64_t partitionId = t.capacity->partition(0).partitionId;
    if (auto pk = routingKey(r.request, t.spec->partitionKey.type))
        partitionId = t.capacity->partition(t.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(*pk)))).partitionId;
    const Consistency consistency = r.request.strong ? Consistency::Strong : Consistency::Eventual;
    switch (r.request.type) {
    case OperationType::GetItem: consumed.charge(partitionId, readUnits(oldSize, consistency), 0); break;
    case OperationType::Query: {
        // The collection's first `Limit` items, summed then rounded once (reference A2).
        const auto& query = std::get<QueryRequest>(r.request.request);
        const std::int64_t perKey = t.spec->initialData ? std::max<std::int64_t>(1, t.spec->initialData->sortKeysPerKey) : 1;
        const std::int64_t items = std::min<std::int64_t>(query.limit.value_or(perKey), perKey);
        std::int64_t bytes = 0;
        for (std::int64_t j = 0; j < items; ++j)
            bytes += knownSize(t, r.request.partitionKeyIndex, j, j == 0 ? key : std::string());
        consumed.charge(partitionId, pageReadUnits(bytes, consistency), 0);
        break;
    }
    case OperationType::PutItem:
    case OperationType::UpdateItem:
        consumed.charge(partitionId, 0, static_cast<double>(itemWriteUnits(oldSize, r.request.itemSizeBytes)));
        lastWrittenSize[key] = r.request.itemSizeBytes;
        break;
    case OperationType::DeleteItem:
        consumed.charge(partitionId, 0, static_cast<double>(writeUnits(oldSize)));
        lastWrittenSize[key] = 0;
        break;
    default: return execute(r, t);
    }
    chargeConsumed(t, consumed, d);
    return Status::ok();
}

Status Simulator::Impl::meterBatch(PendingRequest& r, TableRuntime& t)
{
    // Sampled fidelity: batch items on sampled keys run in the engine, the others are metered
    // one by one, each rounded separately (reference A2).
    const Dimension d = dimensionOf(r.request.type);
    const std::string& pkName = t.spec->partitionKey.name;
    ConsumedCapacity metered;
    Status outcome; // the engine's answer for the sampled part
    auto indexOf = [&](const Item& key) -> std::int64_t { return keyIndexOf(key.at(pkName)); };
    auto partitionOf = [&](const Item& key) {
        return t.capacity->partition(t.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(key.at(pkName))))).partitionId;
    };
    if (auto* get = std::get_if<BatchGetItemRequest>(&r.request.request)) {
        BatchGetItemRequest sampledPart;
        for (const auto& [table, entry] : get->requestItems) {
            KeysAndAttributes kept = entry;
            kept.keys.clear();
            for (const auto& key : entry.keys) {
                const std::int64_t index = indexOf(key);
                if (keySampled(index)) {
                    kept.keys.push_back(key);
                    continue;
                }
                const std::int64_t size = knownSize(t, index, 0, keyLabelOf(index));
                metered.charge(partitionOf(key), readUnits(size, entry.consistentRead ? Consistency::Strong : Consistency::Eventual), 0);
            }
            if (!kept.keys.empty())
                sampledPart.requestItems.emplace_back(table, std::move(kept));
        }
        if (!sampledPart.requestItems.empty()) {
            const auto response = engine->batchGetItem(sampledPart);
            for (const auto& c : response.consumed)
                chargeConsumed(t, c, d);
            outcome = response.status;
        }
    } else if (auto* write = std::get_if<BatchWriteItemRequest>(&r.request.request)) {
        BatchWriteItemRequest sampledPart;
        for (const auto& [table, writes] : write->requestItems) {
            std::vector<WriteRequest> kept;
            for (const auto& w : writes) {
                const std::int64_t index = indexOf(w.item);
                if (keySampled(index)) {
                    kept.push_back(w);
                    continue;
                }
                const std::string label = keyLabelOf(index);
                const std::int64_t oldSize = knownSize(t, index, 0, label);
                const std::int64_t newSize = w.isPut ? itemSizeBytes(w.item) : 0;
                metered.charge(partitionOf(w.item), 0, static_cast<double>(itemWriteUnits(oldSize, newSize)));
                lastWrittenSize[label] = newSize;
            }
            if (!kept.empty())
                sampledPart.requestItems.emplace_back(table, std::move(kept));
        }
        if (!sampledPart.requestItems.empty()) {
            const auto response = engine->batchWriteItem(sampledPart);
            for (const auto& c : response.consumed)
                chargeConsumed(t, c, d);
            outcome = response.status;
        }
    }
    if (!metered.partitions.empty())
        chargeConsumed(t, metered, d);
    return outcome;
}

Status Simulator::Impl::meterTransaction(PendingRequest& r, TableRuntime& t)
{
    // Sampled fidelity: a transaction's items on sampled keys run in the engine as one
    // (smaller) transaction; the others are metered without it at twice the single-item units
    // (reference A2, transactional x2): 2 x ceil(size / 4 KB) per Get (a strong read's units,
    // size last written, a missing item as 1 byte) and 2 x ceil(max(old, new) / 1 KB) per Put.
    // Index upkeep of the metered items is not modelled, as for other unsampled writes.
    const Dimension d = dimensionOf(r.request.type);
    const std::string& pkName = t.spec->partitionKey.name;
    ConsumedCapacity metered;
    Status outcome; // the engine's answer for the sampled part
    auto partitionOf = [&](const Item& key) {
        return t.capacity->partition(t.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(key.at(pkName))))).partitionId;
    };
    if (auto* get = std::get_if<TransactGetItemsRequest>(&r.request.request)) {
        TransactGetItemsRequest sampledPart;
        for (const auto& action : get->gets) {
            const std::int64_t index = keyIndexOf(action.key.at(pkName));
            if (keySampled(index)) {
                sampledPart.gets.push_back(action);
                continue;
            }
            const std::int64_t size = knownSize(t, index, 0, keyLabelOf(index));
            metered.charge(partitionOf(action.key), transactionalReadUnits(size), 0);
        }
        if (!sampledPart.gets.empty()) {
            const auto response = engine->transactGetItems(sampledPart);
            for (const auto& c : response.consumed)
                chargeConsumed(t, c, d);
            outcome = response.status;
        }
    } else if (auto* write = std::get_if<TransactWriteItemsRequest>(&r.request.request)) {
        TransactWriteItemsRequest sampledPart;
        for (const auto& action : write->actions) {
            const std::int64_t index = keyIndexOf(action.item.at(pkName));
            if (keySampled(index)) {
                sampledPart.actions.push_back(action);
                continue;
            }
            const std::string label = keyLabelOf(index);
            const std::int64_t oldSize = knownSize(t, index, 0, label);
            const std::int64_t newSize = itemSizeBytes(action.item);
            metered.charge(partitionOf(action.item), 0, transactionalWriteUnits(std::max(oldSize, newSize)));
            lastWrittenSize[label] = newSize;
        }
        if (!sampledPart.actions.empty()) {
            const auto response = engine->transactWriteItems(sampledPart, now);
            for (const auto& c : response.consumed)
                chargeConsumed(t, c, d);
            outcome = response.status;
        }
    }
    if (!metered.partitions.empty())
        chargeConsumed(t, metered, d);
    return outcome;
}

} // namespace capsim

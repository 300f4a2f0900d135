#pragma once
// RequestGenerator: turns one workload spec into a deterministic stream of concrete engine
// requests (contracts/scenario-format.md, "Generated requests"). Also the rendering of key
// indexes and the padding of items to a size, shared with initialData loading.
// A generator belongs to one workload run and one caller; it is not thread-safe.

#include "engine/attribute_value.h"
#include "engine/operations.h"
#include "engine/table.h"
#include "workloads/distributions.h"
#include "workloads/random.h"
#include "workloads/spec.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

namespace capsim {

// Name of the payload attribute every written item carries.
inline constexpr const char* kPayloadAttribute = "p";

// Key index i as a key value: S "k<i>", N i, B the 8-byte big-endian form of i.
AttributeValue partitionKeyValue(AttrType type, std::int64_t keyIndex);
// Sort key index j likewise, with S "s<j>".
AttributeValue sortKeyValue(AttrType type, std::int64_t sortIndex);
// The primary key of (i, j); j is ignored without a sort key.
Item itemKey(
    const KeyElement& partition, const std::optional<KeyElement>& sort, std::int64_t keyIndex, std::int64_t sortIndex);

// Sets the payload attribute "p" (type S) of `item` so that itemSizeBytes(item) == sizeBytes.
// When the rest of the item and an empty "p" already take more than sizeBytes, "p" is empty and
// the item is that minimum size. Returns the item's size.
std::int64_t padItemToSize(Item& item, std::int64_t sizeBytes);

// An initialData item: the key of (keyIndex, sortIndex), any `attributes`, and "p" padded as
// padItemToSize().
Item initialItem(const KeyElement& partition, const std::optional<KeyElement>& sort, std::int64_t keyIndex,
    std::int64_t sortIndex, std::int64_t sizeBytes, const Item& attributes = {});

// The ordinal-th (0-based) initialData key: partition key ordinal / M, sort key ordinal % M
// (M = sortKeysPerKey), so `items` items use partition keys 0 .. ceil(items / M) - 1.
std::pair<std::int64_t, std::int64_t> initialDataKey(std::int64_t ordinal, std::int64_t sortKeysPerKey);

struct GeneratedRequest {
    OperationType type = OperationType::GetItem;
    bool strong = false; // reads only; false for writes
    std::variant<GetItemRequest, PutItemRequest, UpdateItemRequest, DeleteItemRequest, QueryRequest, ScanRequest,
        BatchGetItemRequest, BatchWriteItemRequest, TransactGetItemsRequest, TransactWriteItemsRequest>
        request;
    // Writes: the size of the item written (PutItem, the item after an UpdateItem), the sum over
    // the items of a BatchWriteItem or TransactWriteItems; 0 for reads and DeleteItem.
    std::int64_t itemSizeBytes = 0;
    // The drawn partition key index; a batch's or transaction's first key; 0 for a Scan. For a
    // Query on an index whose partition key comes from `attributes`, the drawn value's index
    // (its place in a choice's values, or i of "v<i>").
    std::int64_t partitionKeyIndex = 0;
    // A Query's partition key value when it is not partitionKeyValue(type, partitionKeyIndex):
    // an index query whose key attribute is drawn from the workload's `attributes`.
    std::optional<AttributeValue> partitionKeyOverride;
};

// Items per transaction when a workload's `batchSize` is not given (TransactGetItems and
// TransactWriteItems; DynamoDB allows up to 100).
inline constexpr std::int64_t kDefaultTransactionSize = 2;

class RequestGenerator {
public:
    // `partitionKey` / `sortKey` are the key schema of what the workload addresses (the index's
    // keys for an index workload). Streams derive from (seed, workloadIndex). queryItemsGiven
    // says the scenario set `queryItems` explicitly: only then does a Scan carry Limit.
    RequestGenerator(const WorkloadSpec& spec, KeyElement partitionKey, std::optional<KeyElement> sortKey,
        std::uint64_t seed, std::int64_t workloadIndex, bool queryItemsGiven = false);

    // The next request. `now` is the arrival time (the draws do not depend on it today).
    GeneratedRequest next(SimTime now);

    // Where the last Scan stopped: its LastEvaluatedKey, or nullopt at the end of the table, so
    // the next Scan wraps to the start.
    void noteScanResult(std::optional<Item> lastEvaluatedKey);
    // Maps every drawn partition key index before use (fluid fidelity's engine sample sends a
    // drawn key to its block's sampled key); none by default.
    void setKeyMap(std::function<std::int64_t(std::int64_t)> map) { m_keyMap = std::move(map); }

private:
    OperationType drawOperation();
    std::pair<std::int64_t, std::int64_t> drawKey();
    std::vector<std::pair<std::int64_t, std::int64_t>> drawDistinctKeys(std::int64_t count);
    Item drawAttributes();
    // An index query's partition key value from the workload's `attributes` distribution for
    // that attribute (nullopt when it has none), and the value's index.
    std::optional<std::pair<AttributeValue, std::int64_t>> drawIndexKeyValue();
    Item buildItem(std::int64_t keyIndex, std::int64_t sortIndex, std::int64_t sizeBytes);
    // With ttlSeconds: the TTL attribute's value for an item written now, epoch seconds (the
    // engine's clock counts from the run's start) of now + a drawn duration, in whole seconds.
    std::optional<AttributeValue> drawExpiry();

    WorkloadSpec m_spec;
    KeyElement m_partitionKey;
    std::optional<KeyElement> m_sortKey;
    bool m_queryItemsGiven;
    std::vector<std::pair<OperationType, double>> m_cumulativeMix;
    KeySampler m_keys;
    Rng m_operationRng;
    Rng m_consistencyRng;
    Rng m_keyRng;
    Rng m_sizeRng;
    Rng m_valueRng;
    Rng m_ttlRng;
    SimTime m_now = 0;
    std::optional<Item> m_scanStartKey;
    std::function<std::int64_t(std::int64_t)> m_keyMap;
};

} // namespace capsim

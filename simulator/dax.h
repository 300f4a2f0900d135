#pragma once
// DaxCluster: one DAX cluster in front of one table (reference A10, Part C 11). The item cache
// (GetItem and BatchGetItem keys, keyed by table, key and ProjectionExpression) and the query
// cache (Query and Scan, keyed by the canonical request) share one LRU bounded by the cluster's
// cache bytes; entries expire after itemTtl / queryTtl. Each node has a one-second request budget;
// reads go round-robin over the nodes, writes to the primary. Per-key versions, advanced by every
// change the table makes (the simulator feeds them from the engine's WriteChange records), tell a
// hit that differs from the table (a stale read). No Qt, no engine calls: the simulator decides
// what reaches the table (request_path.cpp).

#include "engine/attribute_value.h"
#include "engine/operations.h"
#include "simulator/results.h"
#include "simulator/scenario.h"

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace capsim {

// A DAX node type (reference A10, C 6.4): memory, the default request budget per second
// (UNCONFIRMED) and, for r5 sizes, the size in xlarge units (large 0.5, 2xlarge 2 ...; 0 for
// t2 / t3), from which larger r5 prices are derived.
struct DaxNodeType {
    std::string name;
    double memoryGiB = 0;
    double opsPerSec = 0;
    double xlargeUnits = 0;
};

// The node types a scenario may name; nullopt for another name.
std::optional<DaxNodeType> daxNodeType(std::string_view name);
// Their names, for error messages.
std::string daxNodeTypeList();

// The cluster's cache bytes: model.daxCacheBytes, or half the node type's memory when 0.
std::int64_t daxCacheCapacity(const DaxNodeType& type, const ModelSpec& model);
// Each node's request budget per second: model.daxNodeOpsPerSec, or the node type's default when 0.
double daxNodeOpsPerSec(const DaxNodeType& type, const ModelSpec& model);

// The cost of a request to a node: weight x max(1, ceil(bytes / 1 KB)) with weight hit 1, miss
// (or pass-through) 10, write 25 (reference A10, Part C 11 "Sizing").
enum class DaxWork { Hit = 1, Miss = 10, Write = 25 };
double daxRequestCost(DaxWork work, std::int64_t bytes);

// The cache key of a GetItem / BatchGetItem key (its key string from daxItemKey) and
// ProjectionExpression; of a Query or Scan, its canonical request (ReturnConsumedCapacity is not
// part of the engine's requests, so nothing is left out).
std::string daxItemCacheKey(const std::string& itemKey, const std::optional<std::string>& projection);
std::string daxQueryCacheKey(const QueryRequest& query);
std::string daxQueryCacheKey(const ScanRequest& scan);
// A key's string for versions and the item cache: the encoded partition and sort key values.
std::string daxItemKey(const Item& key, const KeyElement& partitionKey, const std::optional<KeyElement>& sortKey);
std::string daxPartitionKey(const Item& key, const KeyElement& partitionKey);

class DaxCluster {
public:
    struct Entry {
        std::int64_t bytes = 0; // A1 size of the cached item(s); 0: not found / empty result
        double readUnits = 0; // eventual read units the table read of it consumed (a hit saves them)
        std::uint64_t version = 0; // the version of the key (item) or collection (query) when stored
        std::optional<Item> lastEvaluatedKey; // a Scan page's
    };

    DaxCluster(const DaxSpec& spec, const DaxNodeType& type, const ModelSpec& model);

    // The live entry under `key`, moved to the LRU front; nullptr when absent or expired (an
    // expired entry is dropped). `query`: the query cache (none when queryTtl is 0).
    const Entry* lookup(const std::string& key, bool query, SimTime now);
    // Stores (or replaces) an entry with a fresh TTL and evicts least recently used entries
    // beyond the cache bytes. An entry larger than the whole cache is not kept.
    void store(const std::string& key, bool query, Entry entry, SimTime now);
    // Bytes an entry takes: its item bytes + key bytes + 100 (reference A10).
    static std::int64_t entryBytes(const std::string& key, const Entry& entry)
    {
        return entry.bytes + static_cast<std::int64_t>(key.size()) + 100;
    }
    std::int64_t cacheBytes() const { return m_bytes; }
    std::int64_t capacityBytes() const { return m_capacity; }
    std::size_t entries() const { return m_lru.size(); }
    std::int64_t evictions() const { return m_evictions; }

    // A request to a node: a read to the next node round-robin, a write to the primary. False
    // (ThrottlingException) when that node's budget holds less than `cost` (or, for a request
    // costing more than a whole second's budget, when the budget is not full).
    bool admitRead(double cost, SimTime now);
    bool admitWrite(double cost, SimTime now);
    // Charges the node that admitted the last request more work, once the request's size is known
    // (a miss's result); its budget may go below 0, delaying the next requests.
    void chargeLastNode(double extra);
    // The busiest node's work in the minute / its budget over the minute; starts a new minute.
    double takeMinuteUtilisation(SimTime minuteSeconds);

    // Versions: every change to an item (through DAX or not) advances its item's, its partition
    // key's and the table's version.
    void noteChange(const std::string& itemKey, const std::string& partitionKey);
    std::uint64_t itemVersion(const std::string& itemKey) const;
    std::uint64_t partitionVersion(const std::string& partitionKey) const;
    std::uint64_t tableVersion() const { return m_tableVersion; }

    const DaxSpec& spec() const { return m_spec; }
    double opsPerSec() const { return m_opsPerSec; }

    // The run's figures (summary) and the current minute's (reset by the minute's end).
    DaxSummary summary;
    double pricedOffloadedUnits = 0; // summary.offloadedReadUnits already in summary.offloadedReadCost
    std::int64_t minuteHits = 0, minuteMisses = 0, minuteStale = 0;

private:
    struct Slot {
        std::string key;
        bool query = false;
        Entry entry;
        SimTime expiresAt = 0; // 0: never
        std::int64_t bytes = 0;
    };
    void drop(std::list<Slot>::iterator it);
    bool admit(std::size_t node, double cost, SimTime now);

    DaxSpec m_spec;
    std::int64_t m_capacity = 0;
    double m_opsPerSec = 0;
    std::list<Slot> m_lru; // front: most recently used
    std::unordered_map<std::string, std::list<Slot>::iterator> m_index; // "I"/"Q" + key
    std::int64_t m_bytes = 0;
    std::int64_t m_evictions = 0;
    struct Node {
        double tokens = 0;
        SimTime refilledAt = 0;
        double minuteWork = 0;
    };
    std::vector<Node> m_nodes;
    std::size_t m_nextReader = 0;
    std::size_t m_lastNode = 0;
    std::unordered_map<std::string, std::uint64_t> m_itemVersions;
    std::unordered_map<std::string, std::uint64_t> m_partitionVersions;
    std::uint64_t m_tableVersion = 0;
};

// What DAX does with one attempt of a request that reaches the table through it (request_path.cpp).
struct DaxAttempt {
    enum class Kind { None, Miss, PassThrough, Write };
    Kind kind = Kind::None;
    DaxCluster* cluster = nullptr;
    // A miss: the item keys the table reads (GetItem, the missed keys of a BatchGetItem) or the
    // query cache key (Query, Scan).
    std::vector<Item> missedKeys;
    std::string queryKey;
    std::uint64_t queryVersion = 0;
    // A BatchGetItem part-served from the item cache: its hits, counted once the rest is answered.
    std::int64_t batchHits = 0, batchStale = 0;
    double batchHitUnits = 0;
    bool swapped = false; // the request was narrowed to the missed keys; `original` restores it
    std::optional<BatchGetItemRequest> original;
};

// What the engine answered a DAX miss (execute() fills it when set).
struct DaxCapture {
    bool itemAnswered = false; // GetItem
    std::optional<std::int64_t> itemSize; // nullopt: not found
    bool pageAnswered = false; // Query / Scan
    std::int64_t pageBytes = 0;
    std::int64_t pageCount = 0;
    std::optional<Item> lastEvaluatedKey;
};

} // namespace capsim

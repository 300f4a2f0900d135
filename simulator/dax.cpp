#include "simulator/dax.h"

#include "engine/json_codec.h"
#include "engine/json_writer.h"
#include "engine/key_codec.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace capsim {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// Reference A10 (memory from C 6.4; request budgets UNCONFIRMED): t3.small 2 GiB / 10,000 per
// second, t3.medium 4 GiB / 20,000, r5.large 16 GiB / 50,000, each larger r5 size in proportion
// (x2 per doubling); t2 like t3.
const std::array<DaxNodeType, 12>& nodeTypes()
{
    static const std::array<DaxNodeType, 12> types { {
        { "dax.t2.small", 2, 10000, 0 },
        { "dax.t2.medium", 4, 20000, 0 },
        { "dax.t3.small", 2, 10000, 0 },
        { "dax.t3.medium", 4, 20000, 0 },
        { "dax.r5.large", 16, 50000, 0.5 },
        { "dax.r5.xlarge", 32, 100000, 1 },
        { "dax.r5.2xlarge", 64, 200000, 2 },
        { "dax.r5.4xlarge", 128, 400000, 4 },
        { "dax.r5.8xlarge", 256, 800000, 8 },
        { "dax.r5.12xlarge", 384, 1200000, 12 },
        { "dax.r5.16xlarge", 512, 1600000, 16 },
        { "dax.r5.24xlarge", 768, 2400000, 24 },
    } };
    return types;
}

std::string separator()
{
    return std::string(1, '\x1f');
}

std::string optionalText(const std::optional<std::string>& text)
{
    return text ? "+" + *text : std::string("-");
}

std::string expressionText(const ExpressionInput& input)
{
    std::string out;
    if (input.names)
        for (const auto& [alias, name] : *input.names)
            out += alias + "=" + name + ";";
    out += separator();
    if (input.values)
        out += toJsonText(itemToJson(*input.values));
    return out;
}

std::string itemText(const std::optional<Item>& item)
{
    return item ? toJsonText(itemToJson(*item)) : std::string("-");
}

} // namespace

std::optional<DaxNodeType> daxNodeType(std::string_view name)
{
    for (const auto& t : nodeTypes())
        if (t.name == name)
            return t;
    return std::nullopt;
}

std::string daxNodeTypeList()
{
    std::string out;
    for (const auto& t : nodeTypes())
        out += (out.empty() ? "" : ", ") + t.name;
    return out;
}

std::int64_t daxCacheCapacity(const DaxNodeType& type, const ModelSpec& model)
{
    if (model.daxCacheBytes > 0)
        return model.daxCacheBytes;
    return static_cast<std::int64_t>(type.memoryGiB * kGiB / 2);
}

double daxNodeOpsPerSec(const DaxNodeType& type, const ModelSpec& model)
{
    return model.daxNodeOpsPerSec > 0 ? model.daxNodeOpsPerSec : type.opsPerSec;
}

double daxRequestCost(DaxWork work, std::int64_t bytes)
{
    const std::int64_t kilobytes = std::max<std::int64_t>(1, (bytes + 1023) / 1024);
    return static_cast<double>(static_cast<int>(work)) * static_cast<double>(kilobytes);
}

std::string daxItemKey(const Item& key, const KeyElement& partitionKey, const std::optional<KeyElement>& sortKey)
{
    std::string out = daxPartitionKey(key, partitionKey);
    if (sortKey) {
        const auto sk = key.find(sortKey->name);
        out += separator();
        if (sk != key.end())
            out += encodeKeyValue(sk->second);
    }
    return out;
}

std::string daxPartitionKey(const Item& key, const KeyElement& partitionKey)
{
    const auto pk = key.find(partitionKey.name);
    return pk == key.end() ? std::string() : encodeKeyValue(pk->second);
}

std::string daxItemCacheKey(const std::string& itemKey, const std::optional<std::string>& projection)
{
    return itemKey + separator() + optionalText(projection);
}

std::string daxQueryCacheKey(const QueryRequest& q)
{
    const std::string s = separator();
    return "Query" + s + q.tableName + s + optionalText(q.indexName) + s + q.keyConditionExpression + s
        + optionalText(q.filterExpression) + s + optionalText(q.projectionExpression) + s + expressionText(q.expressionAttributes)
        + s + (q.consistentRead ? "1" : "0") + (q.scanIndexForward ? "1" : "0") + s
        + (q.limit ? std::to_string(*q.limit) : std::string("-")) + s + itemText(q.exclusiveStartKey) + s
        + (q.select ? std::to_string(static_cast<int>(*q.select)) : std::string("-"));
}

std::string daxQueryCacheKey(const ScanRequest& q)
{
    const std::string s = separator();
    return "Scan" + s + q.tableName + s + optionalText(q.indexName) + s + optionalText(q.filterExpression) + s
        + optionalText(q.projectionExpression) + s + expressionText(q.expressionAttributes) + s + (q.consistentRead ? "1" : "0")
        + s + (q.limit ? std::to_string(*q.limit) : std::string("-")) + s + itemText(q.exclusiveStartKey) + s
        + (q.select ? std::to_string(static_cast<int>(*q.select)) : std::string("-")) + s
        + (q.segment ? std::to_string(*q.segment) : std::string("-")) + "/"
        + (q.totalSegments ? std::to_string(*q.totalSegments) : std::string("-"));
}

DaxCluster::DaxCluster(const DaxSpec& spec, const DaxNodeType& type, const ModelSpec& model)
    : m_spec(spec)
    , m_capacity(daxCacheCapacity(type, model))
    , m_opsPerSec(daxNodeOpsPerSec(type, model))
{
    m_nodes.resize(static_cast<std::size_t>(std::max<std::int64_t>(1, spec.nodes)));
    for (auto& n : m_nodes)
        n.tokens = m_opsPerSec; // a full second's budget at t = 0
    summary.nodeType = type.name;
    summary.nodes = static_cast<std::int64_t>(m_nodes.size());
}

const DaxCluster::Entry* DaxCluster::lookup(const std::string& key, bool query, SimTime now)
{
    if (query && m_spec.queryTtl == 0)
        return nullptr; // no query cache
    const auto found = m_index.find((query ? "Q" : "I") + key);
    if (found == m_index.end())
        return nullptr;
    auto it = found->second;
    if (it->expiresAt != 0 && now >= it->expiresAt) {
        drop(it);
        return nullptr;
    }
    m_lru.splice(m_lru.begin(), m_lru, it);
    return &it->entry;
}

void DaxCluster::store(const std::string& key, bool query, Entry entry, SimTime now)
{
    if (query && m_spec.queryTtl == 0)
        return;
    const std::string indexKey = (query ? "Q" : "I") + key;
    if (const auto found = m_index.find(indexKey); found != m_index.end())
        drop(found->second);
    Slot slot;
    slot.key = indexKey;
    slot.query = query;
    slot.bytes = entryBytes(key, entry);
    slot.entry = std::move(entry);
    const SimTime ttl = query ? m_spec.queryTtl : m_spec.itemTtl;
    slot.expiresAt = ttl == 0 ? 0 : now + ttl;
    if (slot.bytes > m_capacity)
        return; // larger than the whole cache
    m_bytes += slot.bytes;
    m_lru.push_front(std::move(slot));
    m_index[indexKey] = m_lru.begin();
    while (m_bytes > m_capacity && !m_lru.empty()) {
        drop(std::prev(m_lru.end()));
        ++m_evictions;
    }
}

void DaxCluster::drop(std::list<Slot>::iterator it)
{
    m_bytes -= it->bytes;
    m_index.erase(it->key);
    m_lru.erase(it);
}

bool DaxCluster::admit(std::size_t index, double cost, SimTime now)
{
    Node& node = m_nodes[index];
    // A one-second bucket refilled at the node's budget per second.
    const double elapsed = static_cast<double>(now - node.refilledAt) / static_cast<double>(kSimSecond);
    if (elapsed > 0)
        node.tokens = std::min(m_opsPerSec, node.tokens + elapsed * m_opsPerSec);
    node.refilledAt = std::max(node.refilledAt, now);
    m_lastNode = index;
    const double needed = std::min(cost, m_opsPerSec);
    if (node.tokens < needed)
        return false;
    node.tokens -= cost;
    node.minuteWork += cost;
    return true;
}

bool DaxCluster::admitRead(double cost, SimTime now)
{
    const std::size_t node = m_nextReader;
    m_nextReader = (m_nextReader + 1) % m_nodes.size();
    return admit(node, cost, now);
}

bool DaxCluster::admitWrite(double cost, SimTime now)
{
    return admit(0, cost, now);
}

void DaxCluster::chargeLastNode(double extra)
{
    if (extra <= 0)
        return;
    m_nodes[m_lastNode].tokens -= extra;
    m_nodes[m_lastNode].minuteWork += extra;
}

double DaxCluster::takeMinuteUtilisation(SimTime minuteSeconds)
{
    double busiest = 0;
    for (auto& n : m_nodes) {
        busiest = std::max(busiest, n.minuteWork);
        n.minuteWork = 0;
    }
    const double budget = m_opsPerSec * static_cast<double>(minuteSeconds) / static_cast<double>(kSimSecond);
    return budget > 0 ? busiest / budget : 0.0;
}

void DaxCluster::noteChange(const std::string& itemKey, const std::string& partitionKey)
{
    ++m_itemVersions[itemKey];
    ++m_partitionVersions[partitionKey];
    ++m_tableVersion;
}

std::uint64_t DaxCluster::itemVersion(const std::string& itemKey) const
{
    const auto it = m_itemVersions.find(itemKey);
    return it == m_itemVersions.end() ? 0 : it->second;
}

std::uint64_t DaxCluster::partitionVersion(const std::string& partitionKey) const
{
    const auto it = m_partitionVersions.find(partitionKey);
    return it == m_partitionVersions.end() ? 0 : it->second;
}

} // namespace capsim

#include "workloads/request_generator.h"

#include "engine/item_size.h"

#include <algorithm>
#include <set>
#include <string>

namespace capsim {

namespace {

constexpr std::int64_t kDefaultBatchGetSize = 100;
constexpr std::int64_t kDefaultBatchWriteSize = 25;
// Redraws allowed per batch key before the remaining keys are filled deterministically (a
// distribution that puts everything on a few keys would otherwise never finish a batch).
constexpr std::int64_t kRedrawsPerBatchKey = 64;

AttributeValue keyValue(AttrType type, std::int64_t index, const char* prefix)
{
    switch (type) {
    case AttrType::N: return AttributeValue::number(Number::fromInt(index));
    case AttrType::B: {
        std::string bytes(8, '\0');
        auto value = static_cast<std::uint64_t>(index);
        for (int i = 7; i >= 0; --i) {
            bytes[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xFFU);
            value >>= 8;
        }
        return AttributeValue::binary(std::move(bytes));
    }
    default: {
        std::string text = prefix;
        text += std::to_string(index);
        return AttributeValue::string(std::move(text));
    }
    }
}

} // namespace

AttributeValue partitionKeyValue(AttrType type, std::int64_t keyIndex)
{
    return keyValue(type, keyIndex, "k");
}

AttributeValue sortKeyValue(AttrType type, std::int64_t sortIndex)
{
    return keyValue(type, sortIndex, "s");
}

Item itemKey(
    const KeyElement& partition, const std::optional<KeyElement>& sort, std::int64_t keyIndex, std::int64_t sortIndex)
{
    Item key;
    key[partition.name] = partitionKeyValue(partition.type, keyIndex);
    if (sort)
        key[sort->name] = sortKeyValue(sort->type, sortIndex);
    return key;
}

std::int64_t padItemToSize(Item& item, std::int64_t sizeBytes)
{
    item[kPayloadAttribute] = AttributeValue::string({});
    const std::int64_t minimum = itemSizeBytes(item);
    if (sizeBytes <= minimum)
        return minimum;
    // An S value counts its UTF-8 bytes (reference A1), so each 'x' adds exactly one byte.
    item[kPayloadAttribute] = AttributeValue::string(std::string(static_cast<std::size_t>(sizeBytes - minimum), 'x'));
    return sizeBytes;
}

Item initialItem(const KeyElement& partition, const std::optional<KeyElement>& sort, std::int64_t keyIndex,
    std::int64_t sortIndex, std::int64_t sizeBytes, const Item& attributes)
{
    Item item = attributes;
    for (auto& [name, value] : itemKey(partition, sort, keyIndex, sortIndex))
        item[name] = std::move(value);
    padItemToSize(item, sizeBytes);
    return item;
}

std::pair<std::int64_t, std::int64_t> initialDataKey(std::int64_t ordinal, std::int64_t sortKeysPerKey)
{
    const std::int64_t m = std::max<std::int64_t>(sortKeysPerKey, 1);
    return { ordinal / m, ordinal % m };
}

RequestGenerator::RequestGenerator(const WorkloadSpec& spec, KeyElement partitionKey, std::optional<KeyElement> sortKey,
    std::uint64_t seed, std::int64_t workloadIndex, bool queryItemsGiven)
    : m_spec(spec)
    , m_partitionKey(std::move(partitionKey))
    , m_sortKey(std::move(sortKey))
    , m_queryItemsGiven(queryItemsGiven)
    , m_keys(spec.keys)
    , m_operationRng(seed, rngStream(workloadIndex, RngPurpose::Operations))
    , m_consistencyRng(seed, rngStream(workloadIndex, RngPurpose::Consistency))
    , m_keyRng(seed, rngStream(workloadIndex, RngPurpose::Keys))
    , m_sizeRng(seed, rngStream(workloadIndex, RngPurpose::Sizes))
    , m_valueRng(seed, rngStream(workloadIndex, RngPurpose::Values))
    , m_ttlRng(seed, rngStream(workloadIndex, RngPurpose::TtlDurations))
{
    double cumulative = 0.0;
    for (const auto& [type, fraction] : spec.operations) {
        if (fraction <= 0.0)
            continue;
        cumulative += fraction;
        m_cumulativeMix.emplace_back(type, cumulative);
    }
}

OperationType RequestGenerator::drawOperation()
{
    if (m_cumulativeMix.empty())
        return OperationType::GetItem;
    const double target = m_operationRng.uniform01() * m_cumulativeMix.back().second;
    for (const auto& [type, cumulative] : m_cumulativeMix)
        if (target < cumulative)
            return type;
    return m_cumulativeMix.back().first;
}

std::pair<std::int64_t, std::int64_t> RequestGenerator::drawKey()
{
    std::int64_t keyIndex = m_keys.drawPartitionKey(m_keyRng);
    if (m_keyMap)
        keyIndex = m_keyMap(keyIndex);
    const std::int64_t sortIndex = m_sortKey ? m_keys.drawSortKey(m_keyRng) : 0;
    return { keyIndex, sortIndex };
}

std::vector<std::pair<std::int64_t, std::int64_t>> RequestGenerator::drawDistinctKeys(std::int64_t count)
{
    const std::int64_t sortKeys = m_sortKey ? m_keys.sortKeysPerKey() : 1;
    const std::int64_t space
        = m_keys.cardinality() > INT64_MAX / sortKeys ? INT64_MAX : m_keys.cardinality() * sortKeys;
    count = std::min(count, space);
    std::vector<std::pair<std::int64_t, std::int64_t>> keys;
    std::set<std::pair<std::int64_t, std::int64_t>> seen;
    std::int64_t redraws = 0;
    while (static_cast<std::int64_t>(keys.size()) < count && redraws <= kRedrawsPerBatchKey * count) {
        const auto key = drawKey();
        if (seen.insert(key).second)
            keys.push_back(key);
        else
            ++redraws;
    }
    // Out of redraws: take the next unused keys in (key, sort key) order after the last drawn one.
    std::int64_t flat = keys.empty() ? 0 : keys.back().first * sortKeys + keys.back().second;
    while (static_cast<std::int64_t>(keys.size()) < count) {
        flat = (flat + 1) % space;
        const std::pair<std::int64_t, std::int64_t> key { flat / sortKeys, flat % sortKeys };
        if (seen.insert(key).second)
            keys.push_back(key);
    }
    return keys;
}

Item RequestGenerator::drawAttributes()
{
    Item attributes;
    for (const auto& [name, distribution] : m_spec.attributes) {
        // Keys and the payload keep their own values; an attribute of the same name is ignored.
        if (name == m_partitionKey.name || (m_sortKey && name == m_sortKey->name) || name == kPayloadAttribute)
            continue;
        attributes[name] = drawValue(distribution, m_valueRng);
    }
    return attributes;
}

std::optional<std::pair<AttributeValue, std::int64_t>> RequestGenerator::drawIndexKeyValue()
{
    if (!m_spec.index)
        return std::nullopt;
    const auto found = m_spec.attributes.find(m_partitionKey.name);
    if (found == m_spec.attributes.end())
        return std::nullopt; // e.g. an LSI, keyed by the table's partition key: "k<i>" as usual
    const ValueDistributionSpec& distribution = found->second;
    if (distribution.type == ValueDistributionSpec::Type::Uniform) {
        // The workload's key distribution picks i among the attribute's values "v0".."v<N-1>".
        const std::int64_t n = std::max<std::int64_t>(distribution.cardinality, 1);
        const std::int64_t i = m_keys.drawPartitionKey(m_keyRng) % n;
        return std::pair { AttributeValue::string("v" + std::to_string(i)), i };
    }
    if (distribution.values.empty())
        return std::nullopt;
    const AttributeValue value = drawValue(distribution, m_keyRng);
    std::int64_t i = 0;
    for (std::size_t v = 0; v < distribution.values.size(); ++v)
        if (distribution.values[v] == value) {
            i = static_cast<std::int64_t>(v);
            break;
        }
    return std::pair { value, i };
}

std::optional<AttributeValue> RequestGenerator::drawExpiry()
{
    if (!m_spec.ttlSeconds || m_spec.ttlAttribute.empty())
        return std::nullopt;
    const std::int64_t expiry = (m_now + drawDuration(*m_spec.ttlSeconds, m_ttlRng)) / kSimSecond;
    return AttributeValue::number(Number::fromInt(expiry));
}

Item RequestGenerator::buildItem(std::int64_t keyIndex, std::int64_t sortIndex, std::int64_t sizeBytes)
{
    Item attributes = drawAttributes();
    // The expiry is part of the item before padding, so the item keeps its drawn size.
    if (auto expiry = drawExpiry())
        attributes[m_spec.ttlAttribute] = std::move(*expiry);
    return initialItem(m_partitionKey, m_sortKey, keyIndex, sortIndex, sizeBytes, attributes);
}

GeneratedRequest RequestGenerator::next(SimTime now)
{
    m_now = now;
    GeneratedRequest out;
    out.type = drawOperation();
    // Drawn for every request, so that the read mix does not shift the other streams.
    const bool strongDraw = m_consistencyRng.uniform01() < m_spec.strongFraction;
    out.strong = strongDraw && isReadOperation(out.type);
    const std::string& table = m_spec.table;

    switch (out.type) {
    case OperationType::GetItem: {
        const auto [i, j] = drawKey();
        out.partitionKeyIndex = i;
        GetItemRequest request;
        request.tableName = table;
        request.key = itemKey(m_partitionKey, m_sortKey, i, j);
        request.consistentRead = out.strong;
        out.request = std::move(request);
        break;
    }
    case OperationType::PutItem: {
        const auto [i, j] = drawKey();
        out.partitionKeyIndex = i;
        PutItemRequest request;
        request.tableName = table;
        request.item = buildItem(i, j, drawSizeBytes(m_spec.itemSize, m_sizeRng));
        out.itemSizeBytes = itemSizeBytes(request.item);
        out.request = std::move(request);
        break;
    }
    case OperationType::UpdateItem: {
        const auto [i, j] = drawKey();
        out.partitionKeyIndex = i;
        // The payload is sized against the item as it will be after the update: its key, every
        // `attributes` entry (freshly drawn; exact for those not updated when their values all
        // have one size) and "p". An UpdateItem that creates the item writes only the SET ones.
        Item after = buildItem(i, j, drawSizeBytes(m_spec.itemSize, m_sizeRng));
        out.itemSizeBytes = itemSizeBytes(after);
        UpdateItemRequest request;
        request.tableName = table;
        request.key = itemKey(m_partitionKey, m_sortKey, i, j);
        std::string expression = "SET p = :p";
        Item values;
        values[":p"] = after[kPayloadAttribute];
        std::map<std::string, std::string> names;
        int n = 0;
        for (const auto& name : m_spec.updateAttributes) {
            const auto found = after.find(name);
            if (found == after.end() || request.key.count(name) != 0 || name == kPayloadAttribute)
                continue;
            const std::string suffix = std::to_string(n++);
            expression += ", #u" + suffix + " = :u" + suffix;
            names["#u" + suffix] = name;
            values[":u" + suffix] = found->second;
        }
        // An update writes the item, so it sets a new expiry too.
        if (m_spec.ttlSeconds && !m_spec.ttlAttribute.empty()) {
            if (const auto found = after.find(m_spec.ttlAttribute); found != after.end()) {
                expression += ", #ttl = :ttl";
                names["#ttl"] = m_spec.ttlAttribute;
                values[":ttl"] = found->second;
            }
        }
        request.updateExpression = std::move(expression);
        request.expressionAttributes.values = std::move(values);
        if (!names.empty())
            request.expressionAttributes.names = std::move(names);
        out.request = std::move(request);
        break;
    }
    case OperationType::DeleteItem: {
        const auto [i, j] = drawKey();
        out.partitionKeyIndex = i;
        DeleteItemRequest request;
        request.tableName = table;
        request.key = itemKey(m_partitionKey, m_sortKey, i, j);
        out.request = std::move(request);
        break;
    }
    case OperationType::Query: {
        // An index query asks for values items actually hold: the index partition key's value
        // is drawn from the workload's `attributes` for it when given.
        AttributeValue pk;
        if (auto drawn = drawIndexKeyValue()) {
            pk = drawn->first;
            out.partitionKeyIndex = drawn->second;
            out.partitionKeyOverride = pk;
        } else {
            out.partitionKeyIndex = m_keys.drawPartitionKey(m_keyRng);
            pk = partitionKeyValue(m_partitionKey.type, out.partitionKeyIndex);
        }
        QueryRequest request;
        request.tableName = table;
        request.indexName = m_spec.index;
        request.keyConditionExpression = "#pk = :pk";
        request.expressionAttributes.names = std::map<std::string, std::string> { { "#pk", m_partitionKey.name } };
        request.expressionAttributes.values = Item { { ":pk", std::move(pk) } };
        request.consistentRead = out.strong;
        request.limit = drawCount(m_spec.queryItems, m_sizeRng);
        out.request = std::move(request);
        break;
    }
    case OperationType::Scan: {
        ScanRequest request;
        request.tableName = table;
        request.indexName = m_spec.index;
        request.consistentRead = out.strong;
        if (m_queryItemsGiven)
            request.limit = drawCount(m_spec.queryItems, m_sizeRng);
        request.exclusiveStartKey = m_scanStartKey;
        out.request = std::move(request);
        break;
    }
    case OperationType::BatchGetItem: {
        KeysAndAttributes keys;
        keys.consistentRead = out.strong;
        const auto drawn = drawDistinctKeys(std::max<std::int64_t>(m_spec.batchSize.value_or(kDefaultBatchGetSize), 1));
        for (const auto& [i, j] : drawn)
            keys.keys.push_back(itemKey(m_partitionKey, m_sortKey, i, j));
        out.partitionKeyIndex = drawn.empty() ? 0 : drawn.front().first;
        BatchGetItemRequest request;
        request.requestItems.emplace_back(table, std::move(keys));
        out.request = std::move(request);
        break;
    }
    case OperationType::BatchWriteItem: {
        std::vector<WriteRequest> writes;
        const auto drawn
            = drawDistinctKeys(std::max<std::int64_t>(m_spec.batchSize.value_or(kDefaultBatchWriteSize), 1));
        for (const auto& [i, j] : drawn) {
            WriteRequest write;
            write.isPut = true;
            write.item = buildItem(i, j, drawSizeBytes(m_spec.itemSize, m_sizeRng));
            out.itemSizeBytes += itemSizeBytes(write.item);
            writes.push_back(std::move(write));
        }
        out.partitionKeyIndex = drawn.empty() ? 0 : drawn.front().first;
        BatchWriteItemRequest request;
        request.requestItems.emplace_back(table, std::move(writes));
        out.request = std::move(request);
        break;
    }
    case OperationType::TransactGetItems: {
        // `batchSize` Gets (default kDefaultTransactionSize) of distinct drawn keys; a
        // transaction may not touch one item twice. Transactional reads have no consistency mix.
        out.strong = false;
        TransactGetItemsRequest request;
        const auto drawn
            = drawDistinctKeys(std::max<std::int64_t>(m_spec.batchSize.value_or(kDefaultTransactionSize), 1));
        for (const auto& [i, j] : drawn) {
            TransactGetAction get;
            get.tableName = table;
            get.key = itemKey(m_partitionKey, m_sortKey, i, j);
            request.gets.push_back(std::move(get));
        }
        out.partitionKeyIndex = drawn.empty() ? 0 : drawn.front().first;
        out.request = std::move(request);
        break;
    }
    case OperationType::TransactWriteItems: {
        // `batchSize` Puts (default kDefaultTransactionSize) of distinct drawn keys, each item
        // built as a PutItem's.
        TransactWriteItemsRequest request;
        const auto drawn
            = drawDistinctKeys(std::max<std::int64_t>(m_spec.batchSize.value_or(kDefaultTransactionSize), 1));
        for (const auto& [i, j] : drawn) {
            TransactWriteAction put;
            put.type = TransactWriteAction::Type::Put;
            put.tableName = table;
            put.item = buildItem(i, j, drawSizeBytes(m_spec.itemSize, m_sizeRng));
            out.itemSizeBytes += itemSizeBytes(put.item);
            request.actions.push_back(std::move(put));
        }
        out.partitionKeyIndex = drawn.empty() ? 0 : drawn.front().first;
        out.request = std::move(request);
        break;
    }
    }
    return out;
}

void RequestGenerator::noteScanResult(std::optional<Item> lastEvaluatedKey)
{
    m_scanStartKey = std::move(lastEvaluatedKey);
}

} // namespace capsim

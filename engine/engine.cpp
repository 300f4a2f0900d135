#include "engine/engine.h"

#include "engine/expression/expression.h"
#include "engine/item_codec.h"
#include "engine/key_codec.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

namespace capsim {

namespace json = boost::json;

namespace {

constexpr std::int64_t kPageBytes = 1024 * 1024; // Query/Scan read at most 1 MB per call (reference A2)
constexpr std::int64_t kBatchGetResponseBytes = 16 * 1024 * 1024;
constexpr std::size_t kBatchGetMaxKeys = 100;
constexpr std::size_t kBatchWriteMaxRequests = 25;
constexpr std::int64_t kAccountQuotaUnits = 80000;

Status tableNotFound(const std::string& name)
{
    return Status::notFound("Requested resource not found: Table: " + name + " not found");
}

Status invalidParameter(const std::string& what)
{
    return Status::validation("One or more parameter values were invalid: " + what);
}

Status conditionFailed()
{
    return Status(error::kConditionalCheckFailed, "The conditional request failed");
}

Result<expr::ExpressionAttributes> makeAttributes(const ExpressionInput& input)
{
    expr::ExpressionAttributes attributes;
    if (input.names) {
        if (input.names->empty())
            return Status::validation("ExpressionAttributeNames must not be empty");
        attributes.setNames(*input.names);
    }
    if (input.values) {
        if (input.values->empty())
            return Status::validation("ExpressionAttributeValues must not be empty");
        attributes.setValues(*input.values);
    }
    return attributes;
}

// The projection of a GetItem, a BatchGetItem table entry or a TransactGetItems action: parses
// it with its ExpressionAttributeNames and checks that every name was used.
Result<std::optional<expr::Projection>> parseReadProjection(
    const std::optional<std::map<std::string, std::string>>& names, const std::optional<std::string>& projection)
{
    ExpressionInput input;
    input.names = names;
    auto attributes = makeAttributes(input);
    if (!attributes)
        return attributes.status();
    std::optional<expr::Projection> parsed;
    if (projection) {
        auto result = expr::parseProjection(*projection, *attributes);
        if (!result)
            return result.status();
        parsed = std::move(result).value();
    }
    CAPSIM_RETURN_IF_ERROR(attributes->checkAllUsed());
    return parsed;
}

Status validateKeyAttribute(const KeyElement& element, const AttributeValue& value, bool isPartitionKey)
{
    if (value.type() != element.type)
        return invalidParameter("Type mismatch for key " + element.name + " expected: " + attrTypeName(element.type)
            + " actual: " + attrTypeName(value.type()));
    const std::int64_t size = valueSizeBytes(value);
    if ((value.is(AttrType::S) || value.is(AttrType::B)) && size == 0)
        return Status::validation("One or more parameter values are not valid. The AttributeValue for a key attribute "
                                  "cannot contain an empty "
            + std::string(value.is(AttrType::S) ? "string" : "binary") + " value. Key: " + element.name);
    if (isPartitionKey && size > kMaxPartitionKeyBytes)
        return invalidParameter("Size of hashkey has exceeded the maximum size limit of 2048 bytes");
    if (!isPartitionKey && size > kMaxSortKeyBytes)
        return invalidParameter("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    return Status::ok();
}

// Checks that `item` holds the table's key attributes with the right types. With `exact`, the
// item must be a key and nothing else (the Key parameter of Get/Update/Delete).
Status validateKey(const KeySchema& schema, const Item& item, bool exact)
{
    const std::size_t keyCount = schema.sort ? 2 : 1;
    if (exact && item.size() != keyCount)
        return Status::validation("The provided key element does not match the schema");
    for (int i = 0; i < 2; ++i) {
        const KeyElement* element = i == 0 ? &schema.partition : (schema.sort ? &*schema.sort : nullptr);
        if (!element)
            continue;
        auto it = item.find(element->name);
        if (it == item.end()) {
            if (exact)
                return Status::validation("The provided key element does not match the schema");
            return invalidParameter("Missing the key " + element->name + " in the item");
        }
        if (exact && it->second.type() != element->type)
            return Status::validation("The provided key element does not match the schema");
        CAPSIM_RETURN_IF_ERROR(validateKeyAttribute(*element, it->second, i == 0));
    }
    return Status::ok();
}

StoredKey storedKeyOf(const KeySchema& schema, const Item& item)
{
    StoredKey key;
    key.partitionKey = encodeKeyValue(item.at(schema.partition.name));
    key.hash = partitionHash(key.partitionKey);
    if (schema.sort)
        key.sortKey = encodeKeyValue(item.at(schema.sort->name));
    return key;
}

Item keyOf(const KeySchema& schema, const Item& item)
{
    Item key;
    key.emplace(schema.partition.name, item.at(schema.partition.name));
    if (schema.sort)
        key.emplace(schema.sort->name, item.at(schema.sort->name));
    return key;
}

Item keyFromRow(const KeySchema& schema, const StoredRow& row)
{
    Item key;
    key.emplace(schema.partition.name, decodeKeyValue(schema.partition.type, row.partitionKey));
    if (schema.sort)
        key.emplace(schema.sort->name, decodeKeyValue(schema.sort->type, row.sortKey));
    return key;
}


// ---- secondary index entries ----

// Appends one key component to a composite index sort key: bytes with 0x00 escaped as 0x00 0xFF,
// then the terminator 0x00 0x01. The encoding is prefix-free and keeps memcmp order, so entries
// sort by index sort key first, then by the base table's key.
void appendKeyComponent(std::string& out, std::string_view bytes)
{
    for (char c : bytes) {
        out.push_back(c);
        if (c == '\0')
            out.push_back(static_cast<char>(0xFF));
    }
    out.push_back('\0');
    out.push_back('\x01');
}

std::string keyComponent(const AttributeValue& value)
{
    std::string out;
    appendKeyComponent(out, encodeKeyValue(value));
    return out;
}

bool hasKeyOfType(const Item& item, const KeyElement& element)
{
    auto it = item.find(element.name);
    return it != item.end() && it->second.type() == element.type;
}

// Storage key of the index entry of `item` (which holds the index key and the table key).
StoredKey indexStoredKey(const KeySchema& tableKey, const IndexState& index, const Item& item)
{
    StoredKey key;
    key.partitionKey = encodeKeyValue(item.at(index.key.partition.name));
    key.hash = partitionHash(key.partitionKey);
    if (index.key.sort)
        appendKeyComponent(key.sortKey, encodeKeyValue(item.at(index.key.sort->name)));
    appendKeyComponent(key.sortKey, encodeKeyValue(item.at(tableKey.partition.name)));
    if (tableKey.sort)
        appendKeyComponent(key.sortKey, encodeKeyValue(item.at(tableKey.sort->name)));
    return key;
}

bool sameStoredKey(const StoredKey& a, const StoredKey& b)
{
    return a.hash == b.hash && a.partitionKey == b.partitionKey && a.sortKey == b.sortKey;
}

// The key attributes of an index entry: the table's, then the index's not already among them.
std::vector<KeyElement> entryKeyElements(const KeySchema& tableKey, const IndexState& index)
{
    std::vector<KeyElement> out { tableKey.partition };
    if (tableKey.sort)
        out.push_back(*tableKey.sort);
    for (const KeyElement* e : { &index.key.partition, index.key.sort ? &*index.key.sort : nullptr }) {
        if (e && std::none_of(out.begin(), out.end(), [&](const KeyElement& k) { return k.name == e->name; }))
            out.push_back(*e);
    }
    return out;
}

bool isProjected(const KeySchema& tableKey, const IndexState& index, const std::string& name)
{
    if (index.projection == ProjectionType::All)
        return true;
    if (name == tableKey.partition.name || (tableKey.sort && name == tableKey.sort->name)
        || name == index.key.partition.name || (index.key.sort && name == index.key.sort->name))
        return true;
    return index.projection == ProjectionType::Include
        && std::find(index.nonKeyAttributes.begin(), index.nonKeyAttributes.end(), name) != index.nonKeyAttributes.end();
}

struct IndexEntry {
    StoredKey key;
    Item item; // the projected item: keys of table and index always included
    std::int64_t sizeBytes = 0;
};

// The index entry an item has, if any: items lacking an index key attribute have none (sparse
// index). An entry's size counts each of its attributes once: the table key, the index key and
// the projected attributes (reference A1; storage adds 100 bytes like an item).
std::optional<IndexEntry> indexEntryOf(const KeySchema& tableKey, const IndexState& index, const Item& item)
{
    if (!hasKeyOfType(item, index.key.partition) || (index.key.sort && !hasKeyOfType(item, *index.key.sort)))
        return std::nullopt;
    IndexEntry entry;
    entry.key = indexStoredKey(tableKey, index, item);
    if (index.projection == ProjectionType::All) {
        entry.item = item;
    } else {
        for (const auto& [name, value] : item)
            if (isProjected(tableKey, index, name))
                entry.item.emplace(name, value);
    }
    entry.sizeBytes = itemSizeBytes(entry.item);
    return entry;
}

// Index key attributes present in a written item must have the index's types and valid values;
// DynamoDB rejects the write otherwise rather than leaving the item out of the index.
Status validateIndexKeys(const TableState& table, const Item& item)
{
    for (const auto& index : table.indexes) {
        for (int i = 0; i < 2; ++i) {
            const KeyElement* element = i == 0 ? &index.key.partition : (index.key.sort ? &*index.key.sort : nullptr);
            if (!element)
                continue;
            auto it = item.find(element->name);
            if (it == item.end())
                continue;
            const AttributeValue& value = it->second;
            if (value.type() != element->type)
                return invalidParameter("Type mismatch for Index Key " + element->name + " Expected: "
                    + attrTypeName(element->type) + " Actual: " + attrTypeName(value.type()) + " IndexName: " + index.name);
            if ((value.is(AttrType::S) || value.is(AttrType::B)) && value.bytes().empty())
                return Status::validation("One or more parameter values are not valid. A value specified for a secondary "
                                          "index key is not supported. The AttributeValue for a key attribute cannot "
                                          "contain an empty "
                    + std::string(value.is(AttrType::S) ? "string" : "binary") + " value. IndexName: " + index.name
                    + ", IndexKey: " + element->name);
            CAPSIM_RETURN_IF_ERROR(validateKeyAttribute(*element, value, i == 0));
        }
    }
    return Status::ok();
}

// The key of an index page position: the index key and the table key of the last entry.
Item indexPageKey(const KeySchema& tableKey, const IndexState& index, const Item& entry)
{
    Item key;
    for (const auto& element : entryKeyElements(tableKey, index))
        key.emplace(element.name, entry.at(element.name));
    return key;
}

Status validateIndexStartKey(const KeySchema& tableKey, const IndexState& index, const Item& startKey)
{
    const auto elements = entryKeyElements(tableKey, index);
    bool ok = startKey.size() == elements.size();
    for (const auto& element : elements)
        ok = ok && hasKeyOfType(startKey, element);
    if (!ok)
        return Status::validation("The provided starting key is invalid: The provided key element does not match the schema");
    return Status::ok();
}

Consistency consistencyOf(bool consistentRead)
{
    return consistentRead ? Consistency::Strong : Consistency::Eventual;
}

bool validTableName(const std::string& name)
{
    if (name.size() < 3 || name.size() > 255)
        return false;
    return std::all_of(name.begin(), name.end(),
        [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; });
}

// Smallest byte string greater than every string starting with `prefix`, if any.
std::optional<std::string> prefixSuccessor(std::string prefix)
{
    while (!prefix.empty()) {
        auto& last = reinterpret_cast<unsigned char&>(prefix.back());
        if (last != 0xFF) {
            ++last;
            return prefix;
        }
        prefix.pop_back();
    }
    return std::nullopt;
}

__extension__ using Uint128 = unsigned __int128;

// floor(segment * 2^64 / totalSegments): where segment `segment` of the hash space begins.
std::uint64_t segmentBoundary(std::int64_t segment, std::int64_t totalSegments)
{
    const Uint128 space = static_cast<Uint128>(1) << 64;
    return static_cast<std::uint64_t>(space * static_cast<Uint128>(segment) / static_cast<Uint128>(totalSegments));
}

Status validateCapacity(const char* field, std::int64_t value)
{
    if (value < 1)
        return Status::validation("1 validation error detected: Value '" + std::to_string(value) + "' at '" + field
            + "' failed to satisfy constraint: Member must have value greater than or equal to 1");
    return Status::ok();
}

Status checkReturnValues(ReturnValues value, bool updateItem)
{
    if (!updateItem && value != ReturnValues::None && value != ReturnValues::AllOld)
        return Status::validation("Return values set to invalid value");
    return Status::ok();
}

} // namespace

Engine::Engine(std::unique_ptr<ItemStore> store)
    : m_store(std::move(store))
{
}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const std::string& path)
{
    auto store = ItemStore::open(path);
    if (!store)
        return store.status();
    std::unique_ptr<Engine> engine(new Engine(std::move(store).value()));
    auto records = engine->m_store->loadTables();
    if (!records)
        return records.status();
    for (const auto& record : *records) {
        boost::system::error_code ec;
        auto parsed = json::parse(record.descriptionJson, ec);
        if (ec)
            return Status::internal("stored description of table " + record.name + " is not JSON");
        auto table = TableState::fromJson(parsed);
        if (!table)
            return table.status();
        // Counts are derived from the items themselves, so they survive a crash at any point.
        CAPSIM_RETURN_IF_ERROR(engine->recountPartitions(*table));
        engine->m_nextTableId = std::max(engine->m_nextTableId, table->id + 1);
        for (auto& index : table->indexes) {
            CAPSIM_RETURN_IF_ERROR(engine->recountIndexPartitions(index));
            engine->m_nextTableId = std::max(engine->m_nextTableId, index.id + 1);
        }
        engine->m_tables.emplace(table->name, std::move(table).value());
    }
    return engine;
}

TableState* Engine::findTable(const std::string& tableName)
{
    auto it = m_tables.find(tableName);
    return it == m_tables.end() ? nullptr : &it->second;
}

const TableState* Engine::table(const std::string& tableName) const
{
    auto it = m_tables.find(tableName);
    return it == m_tables.end() ? nullptr : &it->second;
}

Status Engine::saveTable(const TableState& table)
{
    return m_store->saveTable({ table.id, table.name, json::serialize(table.toJson()) });
}

Status Engine::recountPartitions(TableState& table)
{
    for (auto& partition : table.partitions)
        CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(
            table.id, partition.hashLow, partition.hashHigh, partition.itemCount, partition.itemBytes));
    return Status::ok();
}

Status Engine::recountIndexPartitions(IndexState& index)
{
    for (auto& partition : index.partitions)
        CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(
            index.id, partition.hashLow, partition.hashHigh, partition.itemCount, partition.itemBytes));
    return Status::ok();
}

Status Engine::splitOversizedPartition(TableState& table, std::size_t partitionIndex)
{
    // A partition over 10 GB (model.partitionSize) splits in two at the middle of its hash
    // range (reference A3); bulk loads may need several rounds.
    if (static_cast<double>(table.partitions[partitionIndex].billableBytes()) * m_storageWeight
        <= static_cast<double>(m_partitionSplitBytes))
        return Status::ok();
    const std::size_t upper = table.splitPartition(partitionIndex);
    for (std::size_t i : { partitionIndex, upper }) {
        auto& p = table.partitions[i];
        CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(table.id, p.hashLow, p.hashHigh, p.itemCount, p.itemBytes));
    }
    return saveTable(table);
}

Status Engine::setOnDemandPeak(const std::string& tableName, std::int64_t peakRead, std::int64_t peakWrite)
{
    TableState* table = findTable(tableName);
    if (!table)
        return tableNotFound(tableName);
    table->peakRead = peakRead;
    table->peakWrite = peakWrite;
    const std::size_t needed = onDemandPartitions(peakRead, peakWrite);
    if (table->partitions.size() < needed) {
        table->splitToAtLeast(needed);
        CAPSIM_RETURN_IF_ERROR(recountPartitions(*table));
    }
    return saveTable(*table);
}

Status Engine::splitPartition(const std::string& tableName, std::int64_t partitionId)
{
    TableState* table = findTable(tableName);
    if (!table)
        return tableNotFound(tableName);
    for (std::size_t i = 0; i < table->partitions.size(); ++i) {
        if (table->partitions[i].id != partitionId)
            continue;
        const std::size_t upper = table->splitPartition(i);
        for (std::size_t j : { i, upper }) {
            auto& p = table->partitions[j];
            CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(table->id, p.hashLow, p.hashHigh, p.itemCount, p.itemBytes));
        }
        return saveTable(*table);
    }
    return Status::notFound("table " + tableName + " has no partition " + std::to_string(partitionId));
}

Status Engine::bulkPut(const std::string& tableName, const std::vector<Item>& items)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    for (const auto& item : items) {
        CAPSIM_RETURN_IF_ERROR(validateKey(t->key, item, false));
        CAPSIM_RETURN_IF_ERROR(validateItemLimits(item));
        CAPSIM_RETURN_IF_ERROR(validateIndexKeys(*t, item));
    }
    const TableState saved = *t;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    for (const auto& item : items) {
        const StoredKey key = storedKeyOf(t->key, item);
        bool existed = false;
        std::int64_t oldSize = 0;
        std::string blob;
        const bool indexed = !t->indexes.empty();
        Status s = m_store->get(t->id, key, existed, oldSize, indexed ? &blob : nullptr);
        std::optional<Item> oldItem;
        if (s && existed && indexed) {
            auto decoded = decodeItem(blob);
            if (decoded)
                oldItem = std::move(decoded).value();
            else
                s = decoded.status();
        }
        if (s)
            s = applyWrite(*t, item, oldItem ? &*oldItem : nullptr, &item, oldSize, existed, itemSizeBytes(item),
                t->partitionIndex(key.hash), nullptr);
        if (!s) {
            m_store->rollback();
            *t = saved;
            return s;
        }
    }
    return m_store->commit();
}

// ---- control plane ----

Result<TableState> Engine::createTable(const CreateTableRequest& request, EngineTime now)
{
    if (!validTableName(request.tableName))
        return Status::validation("1 validation error detected: Value '" + request.tableName
            + "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
              "[a-zA-Z0-9_.-]+ and have length between 3 and 255");
    if (m_tables.count(request.tableName))
        return Status(error::kResourceInUse, "Table already exists: " + request.tableName);
    TableState table;
    table.id = m_nextTableId;
    table.name = request.tableName;
    table.key = request.keySchema;
    table.billingMode = request.billingMode;
    table.tableClass = request.tableClass;
    table.createdAt = now;
    table.decreaseTokensAt = now;
    std::size_t partitionCount;
    if (request.billingMode == BillingMode::Provisioned) {
        if (!request.readCapacity || !request.writeCapacity)
            return invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode "
                                    "is PROVISIONED");
        CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.readCapacityUnits", *request.readCapacity));
        CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.writeCapacityUnits", *request.writeCapacity));
        if (*request.readCapacity > kTableQuotaUnits || *request.writeCapacity > kTableQuotaUnits)
            return Status(error::kLimitExceeded,
                "Subscriber limit exceeded: Provisioned throughput for table " + request.tableName
                    + " exceeds the per-table limit of " + std::to_string(kTableQuotaUnits) + " units");
        std::int64_t accountRead = *request.readCapacity;
        std::int64_t accountWrite = *request.writeCapacity;
        for (const auto& [name, other] : m_tables) {
            accountRead += other.readCapacity;
            accountWrite += other.writeCapacity;
        }
        if (accountRead > kAccountQuotaUnits || accountWrite > kAccountQuotaUnits)
            return Status(error::kLimitExceeded, "Subscriber limit exceeded: Provisioned throughput for the account "
                                                 "would exceed the account limit of "
                    + std::to_string(kAccountQuotaUnits) + " units");
        table.readCapacity = *request.readCapacity;
        table.writeCapacity = *request.writeCapacity;
        partitionCount = throughputPartitions(table.readCapacity, table.writeCapacity);
    } else {
        if (request.readCapacity || request.writeCapacity)
            return invalidParameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        partitionCount = onDemandPartitions(table.peakRead, table.peakWrite);
    }
    // Initial partitions split the hash space evenly (reference A3).
    table.partitions = evenPartitions(partitionCount, table.nextPartitionId);

    if (request.globalSecondaryIndexes.size() > kMaxGlobalSecondaryIndexes)
        return Status(error::kLimitExceeded, "Subscriber limit exceeded: The number of global secondary indexes ("
                + std::to_string(request.globalSecondaryIndexes.size()) + ") exceeds the per-table limit of "
                + std::to_string(kMaxGlobalSecondaryIndexes));
    if (request.localSecondaryIndexes.size() > kMaxLocalSecondaryIndexes)
        return invalidParameter("Number of LocalSecondaryIndexes exceeds per-table limit of "
            + std::to_string(kMaxLocalSecondaryIndexes));
    std::int64_t nextId = m_nextTableId + 1;
    std::size_t projected = 0;
    for (const auto* list : { &request.globalSecondaryIndexes, &request.localSecondaryIndexes }) {
        const bool global = list == &request.globalSecondaryIndexes;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const IndexDefinition& definition = (*list)[i];
            auto index = buildIndex(table, definition, global ? IndexKind::Global : IndexKind::Local,
                table.billingMode,
                std::string(global ? "globalSecondaryIndexes." : "localSecondaryIndexes.") + std::to_string(i + 1)
                    + ".member");
            if (!index)
                return index.status();
            if (table.findIndex(definition.name))
                return invalidParameter("Duplicate index name: " + definition.name);
            index->id = nextId++;
            projected += index->nonKeyAttributes.size();
            table.indexes.push_back(std::move(index).value());
        }
    }
    // NonKeyAttributes count across all indexes, an attribute in two indexes twice (reference C 2.5).
    if (projected > kMaxProjectedAttributes)
        return invalidParameter("The sum of NonKeyAttributes across all secondary indexes ("
            + std::to_string(projected) + ") exceeds the limit of " + std::to_string(kMaxProjectedAttributes));
    CAPSIM_RETURN_IF_ERROR(saveTable(table));
    m_nextTableId = nextId;
    m_tables.emplace(table.name, table);
    return table;
}

Result<IndexState> Engine::buildIndex(const TableState& table, const IndexDefinition& definition, IndexKind kind,
    BillingMode mode, const std::string& path) const
{
    if (!validTableName(definition.name))
        return Status::validation("1 validation error detected: Value '" + definition.name + "' at '" + path
            + ".indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
              "[a-zA-Z0-9_.-]+ and have length between 3 and 255");
    IndexState index;
    index.name = definition.name;
    index.kind = kind;
    index.key = definition.key;
    index.projection = definition.projection;
    const char* projectionName = projectionTypeName(definition.projection);
    if (definition.projection == ProjectionType::Include) {
        if (!definition.nonKeyAttributes || definition.nonKeyAttributes->empty())
            return invalidParameter("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        index.nonKeyAttributes = *definition.nonKeyAttributes;
        std::set<std::string> unique(index.nonKeyAttributes.begin(), index.nonKeyAttributes.end());
        if (unique.size() != index.nonKeyAttributes.size())
            return invalidParameter("Duplicate attributes in NonKeyAttributes of index: " + definition.name);
    } else if (definition.nonKeyAttributes) {
        return invalidParameter(std::string("ProjectionType is ") + projectionName
            + ", but NonKeyAttributes is specified");
    }
    if (kind == IndexKind::Local) {
        if (!table.key.sort)
            return invalidParameter(
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
        if (definition.key.partition.name != table.key.partition.name)
            return invalidParameter("Index KeySchema does not have the same leading hash key as table KeySchema for "
                                    "index: "
                + definition.name + ". index hash key: " + definition.key.partition.name
                + ", table hash key: " + table.key.partition.name);
        if (!definition.key.sort)
            return invalidParameter("Index KeySchema does not have a range key for index: " + definition.name);
        if (definition.readCapacity || definition.writeCapacity)
            return invalidParameter("ProvisionedThroughput should not be specified for index: " + definition.name
                + ": local secondary indexes use the table's capacity");
        // Counting only: LSI entries live in the table's partitions.
        index.partitions = evenPartitions(1, index.nextPartitionId);
        return index;
    }
    std::size_t partitionCount = 0;
    if (mode == BillingMode::Provisioned) {
        if (!definition.readCapacity || !definition.writeCapacity)
            return invalidParameter("ProvisionedThroughput must be specified for index: " + definition.name);
        CAPSIM_RETURN_IF_ERROR(validateCapacity(
            (path + ".provisionedThroughput.readCapacityUnits").c_str(), *definition.readCapacity));
        CAPSIM_RETURN_IF_ERROR(validateCapacity(
            (path + ".provisionedThroughput.writeCapacityUnits").c_str(), *definition.writeCapacity));
        if (*definition.readCapacity > kTableQuotaUnits || *definition.writeCapacity > kTableQuotaUnits)
            return Status(error::kLimitExceeded, "Subscriber limit exceeded: Provisioned throughput for index "
                    + definition.name + " exceeds the per-table limit of " + std::to_string(kTableQuotaUnits) + " units");
        index.readCapacity = *definition.readCapacity;
        index.writeCapacity = *definition.writeCapacity;
        partitionCount = throughputPartitions(index.readCapacity, index.writeCapacity);
    } else {
        if (definition.readCapacity || definition.writeCapacity)
            return invalidParameter("ProvisionedThroughput should not be specified for index: " + definition.name
                + " when BillingMode is PAY_PER_REQUEST");
        // A new on-demand GSI starts like a new on-demand table (reference A3).
        partitionCount = onDemandPartitions(kOnDemandInitialPeakRead, kOnDemandInitialPeakWrite);
    }
    index.partitions = evenPartitions(partitionCount, index.nextPartitionId);
    return index;
}

Result<TableState> Engine::describeTable(const std::string& tableName) const
{
    const TableState* t = table(tableName);
    if (!t)
        return tableNotFound(tableName);
    return *t;
}

Result<TableState> Engine::updateTable(const UpdateTableRequest& request, EngineTime now)
{
    TableState* current = findTable(request.tableName);
    if (!current)
        return tableNotFound(request.tableName);
    if (!request.billingMode && !request.readCapacity && !request.writeCapacity && !request.tableClass
        && request.globalSecondaryIndexUpdates.empty())
        return Status::validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                                  "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
    TableState next = *current;
    const BillingMode targetMode = request.billingMode.value_or(current->billingMode);

    if (request.tableClass && *request.tableClass != current->tableClass) {
        // At most 2 table-class changes in a trailing 30 days (reference A4).
        const EngineTime window = 30LL * 24 * kMicrosPerHour;
        std::erase_if(next.tableClassChanges, [&](EngineTime t) { return now - t >= window; });
        if (static_cast<int>(next.tableClassChanges.size()) >= kTableClassChangesPer30Days)
            return Status(error::kLimitExceeded, "Subscriber limit exceeded: Table class can be updated at most "
                                                 "2 times in a trailing 30-day period for table "
                    + request.tableName);
        next.tableClassChanges.push_back(now);
        next.tableClass = *request.tableClass;
    }

    if (targetMode == BillingMode::PayPerRequest) {
        if (request.readCapacity || request.writeCapacity)
            return invalidParameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        if (current->billingMode == BillingMode::Provisioned) {
            const EngineTime window = 24 * kMicrosPerHour;
            std::erase_if(next.payPerRequestSwitches, [&](EngineTime t) { return now - t >= window; });
            if (static_cast<int>(next.payPerRequestSwitches.size()) >= kPayPerRequestSwitchesPerDay)
                return Status(error::kLimitExceeded, "Subscriber limit exceeded: Update to PayPerRequest mode is "
                                                     "limited to 4 times in a rolling 24-hour window for table "
                        + request.tableName);
            next.payPerRequestSwitches.push_back(now);
            // A switched table's previous peak is half its provisioned throughput, at least the
            // new-table default (reference C5), so it serves its old provisioned level at once.
            next.peakRead = std::max(next.peakRead, current->readCapacity / 2);
            next.peakWrite = std::max(next.peakWrite, current->writeCapacity / 2);
            next.readCapacity = 0;
            next.writeCapacity = 0;
            next.billingMode = BillingMode::PayPerRequest;
        }
        next.splitToAtLeast(onDemandPartitions(next.peakRead, next.peakWrite));
    } else {
        const bool switching = current->billingMode == BillingMode::PayPerRequest;
        if (switching && (!request.readCapacity || !request.writeCapacity))
            return invalidParameter("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
        if (request.readCapacity.has_value() != request.writeCapacity.has_value())
            return invalidParameter("ReadCapacityUnits and WriteCapacityUnits must both be specified");
        if (request.readCapacity) {
            const std::int64_t read = *request.readCapacity;
            const std::int64_t write = *request.writeCapacity;
            CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.readCapacityUnits", read));
            CAPSIM_RETURN_IF_ERROR(validateCapacity("provisionedThroughput.writeCapacityUnits", write));
            if (!switching && read == current->readCapacity && write == current->writeCapacity && !request.tableClass)
                return Status::validation("The provisioned throughput for the table will not change. The requested "
                                          "value equals the current value. Current ReadCapacityUnits provisioned for "
                                          "the table: "
                    + std::to_string(read) + ". Requested ReadCapacityUnits: " + std::to_string(read)
                    + ". Current WriteCapacityUnits provisioned for the table: " + std::to_string(write)
                    + ". Requested WriteCapacityUnits: " + std::to_string(write)
                    + ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher "
                      "limits.");
            if (read > kTableQuotaUnits || write > kTableQuotaUnits)
                return Status(error::kLimitExceeded,
                    "Subscriber limit exceeded: Provisioned throughput for table " + request.tableName
                        + " exceeds the per-table limit of " + std::to_string(kTableQuotaUnits) + " units");
            const bool decrease = !switching && (read < current->readCapacity || write < current->writeCapacity);
            const bool increase = switching || read > current->readCapacity || write > current->writeCapacity;
            if (decrease) {
                // Decreases: a bucket of 4 refilled by 1 per hour (reference A4).
                const double refill = static_cast<double>(now - next.decreaseTokensAt) / static_cast<double>(kMicrosPerHour);
                next.decreaseTokens = std::min<double>(kDecreaseBudget, next.decreaseTokens + std::max(0.0, refill));
                next.decreaseTokensAt = now;
                if (next.decreaseTokens < 1.0)
                    return Status(error::kLimitExceeded,
                        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC "
                        "day. After the first 4 decreases, each subsequent decrease in the same UTC day can be "
                        "performed at most once every 3600 seconds. Number of decreases today: "
                            + std::to_string(current->decreasesToday) + ". Table: " + request.tableName);
                next.decreaseTokens -= 1.0;
                const EngineTime day = 24 * kMicrosPerHour;
                next.decreasesToday = (now / day == current->lastDecreaseAt / day && current->lastDecreaseAt > 0)
                    ? current->decreasesToday + 1
                    : 1;
                next.lastDecreaseAt = now;
            }
            if (increase)
                next.lastIncreaseAt = now;
            next.readCapacity = read;
            next.writeCapacity = write;
        }
        next.billingMode = BillingMode::Provisioned;
        // Raising throughput past what the partitions support doubles them (reference A3).
        const std::size_t needed = throughputPartitions(next.readCapacity, next.writeCapacity);
        if (next.partitions.size() < needed) {
            std::size_t count = next.partitions.size();
            while (count < needed)
                count *= 2;
            next.splitToAtLeast(count);
        }
    }
    if (next.partitions.size() != current->partitions.size())
        CAPSIM_RETURN_IF_ERROR(recountPartitions(next));

    // ---- global secondary indexes ----
    using Action = GlobalSecondaryIndexUpdate::Action;
    const auto& updates = request.globalSecondaryIndexUpdates;
    const auto onlineChanges = std::count_if(
        updates.begin(), updates.end(), [](const GlobalSecondaryIndexUpdate& u) { return u.action != Action::Update; });
    const bool backfilling = std::any_of(current->indexes.begin(), current->indexes.end(),
        [](const IndexState& i) { return i.status == IndexStatus::Creating; });
    if (onlineChanges > 1 || (onlineChanges == 1 && backfilling))
        return Status(error::kLimitExceeded,
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
    std::vector<std::int64_t> removedIndexIds;
    std::set<std::string> updated;
    std::int64_t nextId = m_nextTableId;
    for (std::size_t u = 0; u < updates.size(); ++u) {
        const IndexDefinition& definition = updates[u].index;
        const std::string path = "globalSecondaryIndexUpdates." + std::to_string(u + 1) + ".member";
        IndexState* existing = next.findIndex(definition.name);
        switch (updates[u].action) {
        case Action::Create: {
            if (existing)
                return invalidParameter("Attempting to create an index which already exists: " + definition.name);
            const auto globals = std::count_if(
                next.indexes.begin(), next.indexes.end(), [](const IndexState& i) { return i.isGlobal(); });
            if (static_cast<std::size_t>(globals) >= kMaxGlobalSecondaryIndexes)
                return Status(error::kLimitExceeded, "Subscriber limit exceeded: The number of global secondary "
                                                     "indexes exceeds the per-table limit of "
                        + std::to_string(kMaxGlobalSecondaryIndexes));
            auto index = buildIndex(next, definition, IndexKind::Global, next.billingMode, path + ".create");
            if (!index)
                return index.status();
            std::size_t projected = index->nonKeyAttributes.size();
            for (const auto& other : next.indexes)
                projected += other.nonKeyAttributes.size();
            if (projected > kMaxProjectedAttributes)
                return invalidParameter("The sum of NonKeyAttributes across all secondary indexes ("
                    + std::to_string(projected) + ") exceeds the limit of " + std::to_string(kMaxProjectedAttributes));
            // A new GSI is CREATING until backfillIndex has indexed every existing item.
            index->id = nextId++;
            index->status = IndexStatus::Creating;
            next.indexes.push_back(std::move(index).value());
            break;
        }
        case Action::Update: {
            if (!existing || !existing->isGlobal())
                return Status::notFound("Requested resource not found: Index: " + definition.name
                    + " not found in table " + request.tableName);
            if (next.billingMode != BillingMode::Provisioned)
                return invalidParameter("ProvisionedThroughput should not be specified for index: " + definition.name
                    + " when BillingMode is PAY_PER_REQUEST");
            if (!definition.readCapacity || !definition.writeCapacity)
                return invalidParameter("ProvisionedThroughput must be specified for index: " + definition.name);
            CAPSIM_RETURN_IF_ERROR(validateCapacity(
                (path + ".update.provisionedThroughput.readCapacityUnits").c_str(), *definition.readCapacity));
            CAPSIM_RETURN_IF_ERROR(validateCapacity(
                (path + ".update.provisionedThroughput.writeCapacityUnits").c_str(), *definition.writeCapacity));
            if (*definition.readCapacity > kTableQuotaUnits || *definition.writeCapacity > kTableQuotaUnits)
                return Status(error::kLimitExceeded, "Subscriber limit exceeded: Provisioned throughput for index "
                        + definition.name + " exceeds the per-table limit of " + std::to_string(kTableQuotaUnits)
                        + " units");
            existing->readCapacity = *definition.readCapacity;
            existing->writeCapacity = *definition.writeCapacity;
            // A GSI's partitions double like a table's when its throughput outgrows them (reference A3).
            const std::size_t needed = throughputPartitions(existing->readCapacity, existing->writeCapacity);
            std::size_t count = existing->partitions.size();
            while (count < needed)
                count *= 2;
            if (count != existing->partitions.size()) {
                while (existing->partitions.size() < count)
                    for (std::size_t i = existing->partitions.size(); i-- > 0;)
                        splitPartitionIn(existing->partitions, existing->nextPartitionId, i);
                CAPSIM_RETURN_IF_ERROR(recountIndexPartitions(*existing));
            }
            updated.insert(definition.name);
            break;
        }
        case Action::Delete:
            if (!existing)
                return Status::notFound("Requested resource not found: Index: " + definition.name
                    + " not found in table " + request.tableName);
            if (!existing->isGlobal())
                return invalidParameter("Local secondary indexes cannot be deleted: " + definition.name);
            removedIndexIds.push_back(existing->id);
            std::erase_if(next.indexes, [&](const IndexState& i) { return i.name == definition.name; });
            break;
        }
    }
    // GSIs follow the table's billing mode: on-demand drops their provisioned capacity and gives
    // them the on-demand partitions; switching to provisioned needs capacity for each of them.
    for (auto& index : next.indexes) {
        if (!index.isGlobal())
            continue;
        if (next.billingMode == BillingMode::PayPerRequest && current->billingMode == BillingMode::Provisioned) {
            index.readCapacity = 0;
            index.writeCapacity = 0;
            const std::size_t needed = onDemandPartitions(kOnDemandInitialPeakRead, kOnDemandInitialPeakWrite);
            if (index.partitions.size() < needed) {
                while (index.partitions.size() < needed)
                    for (std::size_t i = index.partitions.size(); i-- > 0;)
                        splitPartitionIn(index.partitions, index.nextPartitionId, i);
                CAPSIM_RETURN_IF_ERROR(recountIndexPartitions(index));
            }
        } else if (next.billingMode == BillingMode::Provisioned && current->billingMode == BillingMode::PayPerRequest
            && index.status == IndexStatus::Active && !updated.count(index.name)) {
            return invalidParameter("ProvisionedThroughput must be specified for index: " + index.name);
        }
    }
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status stored;
    for (std::int64_t id : removedIndexIds)
        if (stored)
            stored = m_store->deleteTable(id);
    if (stored)
        stored = saveTable(next);
    if (stored)
        stored = m_store->commit();
    if (!stored) {
        m_store->rollback();
        return stored;
    }
    m_nextTableId = nextId;
    *current = std::move(next);
    return *current;
}

Result<TableState> Engine::deleteTable(const std::string& tableName)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    TableState removed = *t;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status status = m_store->deleteTable(removed.id);
    for (const auto& index : removed.indexes)
        if (status)
            status = m_store->deleteTable(index.id);
    if (!status) {
        m_store->rollback();
        return status;
    }
    CAPSIM_RETURN_IF_ERROR(m_store->commit());
    m_tables.erase(tableName);
    return removed;
}

Result<ListTablesResult> Engine::listTables(
    const std::optional<std::string>& exclusiveStartTableName, std::optional<std::int64_t> limit) const
{
    const std::int64_t pageSize = limit.value_or(100);
    if (pageSize < 1 || pageSize > 100)
        return Status::validation("1 validation error detected: Value '" + std::to_string(pageSize)
            + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100 and "
              "greater than or equal to 1");
    ListTablesResult result;
    auto it = exclusiveStartTableName ? m_tables.upper_bound(*exclusiveStartTableName) : m_tables.begin();
    for (; it != m_tables.end(); ++it) {
        if (static_cast<std::int64_t>(result.tableNames.size()) == pageSize) {
            result.lastEvaluatedTableName = result.tableNames.back();
            break;
        }
        result.tableNames.push_back(it->first);
    }
    return result;
}

// ---- data plane ----

Status Engine::applyWrite(TableState& table, const Item& key, const Item* oldItem, const Item* newItem,
    std::int64_t oldSize, bool existed, std::int64_t newSize, std::size_t partitionIndex, ConsumedCapacity* consumed)
{
    const StoredKey stored = storedKeyOf(table.key, key);
    Partition& partition = table.partitions[partitionIndex];
    const std::int64_t partitionId = partition.id;
    if (newItem) {
        CAPSIM_RETURN_IF_ERROR(m_store->put(table.id, stored, newSize, encodeItem(*newItem)));
        partition.itemCount += existed ? 0 : 1;
        partition.itemBytes += newSize - (existed ? oldSize : 0);
    } else if (existed) {
        CAPSIM_RETURN_IF_ERROR(m_store->erase(table.id, stored));
        partition.itemCount -= 1;
        partition.itemBytes -= oldSize;
    }
    if (!table.indexes.empty())
        CAPSIM_RETURN_IF_ERROR(maintainIndexes(table, existed ? oldItem : nullptr, newItem, partitionId, consumed));
    return newItem ? splitOversizedPartition(table, partitionIndex) : Status::ok();
}

Status Engine::applyWriteAtomically(TableState& table, const Item& key, const Item* oldItem, const Item* newItem,
    std::int64_t oldSize, bool existed, std::int64_t newSize, std::size_t partitionIndex, ConsumedCapacity& consumed)
{
    if (table.indexes.empty())
        return applyWrite(table, key, oldItem, newItem, oldSize, existed, newSize, partitionIndex, &consumed);
    const TableState saved = table;
    const ConsumedCapacity savedConsumed = consumed;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s = applyWrite(table, key, oldItem, newItem, oldSize, existed, newSize, partitionIndex, &consumed);
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        table = saved;
        consumed = savedConsumed;
    }
    return s;
}

Status Engine::maintainIndexes(TableState& table, const Item* oldItem, const Item* newItem,
    std::int64_t tablePartitionId, ConsumedCapacity* consumed)
{
    for (auto& index : table.indexes) {
        const auto before = oldItem ? indexEntryOf(table.key, index, *oldItem) : std::nullopt;
        const auto after = newItem ? indexEntryOf(table.key, index, *newItem) : std::nullopt;
        if (!before && !after)
            continue;
        // GSI units are the GSI's own; LSI units count against the table (reference A2).
        auto charge = [&](const StoredKey& key, std::int64_t units) {
            if (!consumed)
                return;
            if (index.isGlobal())
                consumed->chargeGlobalIndex(
                    index.name, index.partitions[index.partitionIndex(key.hash)].id, 0.0, static_cast<double>(units));
            else
                consumed->chargeLocalIndex(index.name, tablePartitionId, 0.0, static_cast<double>(units));
        };
        auto partitionOf = [&](const StoredKey& key) -> Partition& {
            return index.partitions[index.partitionIndex(key.hash)];
        };
        // Per index: a new entry is 1 write, a removed one 1, a changed key 2 (delete + put), a
        // changed projection 1; each sized by its entry, rounded to 1 KB (reference A2, C 2.5).
        if (before && after && sameStoredKey(before->key, after->key)) {
            if (before->item == after->item)
                continue;
            CAPSIM_RETURN_IF_ERROR(m_store->put(index.id, after->key, after->sizeBytes, encodeItem(after->item)));
            partitionOf(after->key).itemBytes += after->sizeBytes - before->sizeBytes;
            charge(after->key, writeUnits(std::max(before->sizeBytes, after->sizeBytes)));
            continue;
        }
        if (before) {
            CAPSIM_RETURN_IF_ERROR(m_store->erase(index.id, before->key));
            Partition& p = partitionOf(before->key);
            p.itemCount -= 1;
            p.itemBytes -= before->sizeBytes;
            charge(before->key, writeUnits(before->sizeBytes));
        }
        if (after) {
            CAPSIM_RETURN_IF_ERROR(m_store->put(index.id, after->key, after->sizeBytes, encodeItem(after->item)));
            Partition& p = partitionOf(after->key);
            p.itemCount += 1;
            p.itemBytes += after->sizeBytes;
            charge(after->key, writeUnits(after->sizeBytes));
            // A GSI partition over the split size splits like a table's (reference A3).
            const std::size_t i = index.partitionIndex(after->key.hash);
            if (index.isGlobal()
                && static_cast<double>(index.partitions[i].billableBytes()) * m_storageWeight
                    > static_cast<double>(m_partitionSplitBytes)) {
                const std::size_t upper = splitPartitionIn(index.partitions, index.nextPartitionId, i);
                for (std::size_t j : { i, upper }) {
                    auto& q = index.partitions[j];
                    CAPSIM_RETURN_IF_ERROR(m_store->rangeStats(index.id, q.hashLow, q.hashHigh, q.itemCount, q.itemBytes));
                }
                CAPSIM_RETURN_IF_ERROR(saveTable(table));
            }
        }
    }
    return Status::ok();
}

Status Engine::checkItemCollection(const TableState& table, const Item& key, const Item* oldItem, const Item* newItem,
    std::int64_t oldSize, std::int64_t newSize, std::int64_t& collectionBytes)
{
    // Storage size of an item with its LSI entries, each + 100 bytes (reference A1).
    auto footprint = [&](const Item* item, std::int64_t size, std::int64_t& lsiBytes) -> std::int64_t {
        lsiBytes = 0;
        if (!item)
            return 0;
        std::int64_t total = size + kStorageOverheadBytes;
        for (const auto& index : table.indexes) {
            if (index.isGlobal())
                continue;
            if (auto entry = indexEntryOf(table.key, index, *item)) {
                lsiBytes += entry->sizeBytes;
                total += entry->sizeBytes + kStorageOverheadBytes;
            }
        }
        return total;
    };
    std::int64_t newLsiBytes = 0;
    std::int64_t oldLsiBytes = 0;
    const std::int64_t after = footprint(newItem, newSize, newLsiBytes);
    const std::int64_t before = footprint(oldItem, oldSize, oldLsiBytes);
    // The 400 KB item limit includes the item's LSI entries (reference C 1).
    if (newItem && newSize + newLsiBytes > kMaxItemBytes)
        return Status::validation("Item size has exceeded the maximum allowed size");
    const StoredKey stored = storedKeyOf(table.key, key);
    std::int64_t current = 0;
    for (std::int64_t id : [&] {
             std::vector<std::int64_t> ids { table.id };
             for (const auto& index : table.indexes)
                 if (!index.isGlobal())
                     ids.push_back(index.id);
             return ids;
         }()) {
        std::int64_t count = 0;
        std::int64_t bytes = 0;
        CAPSIM_RETURN_IF_ERROR(m_store->collectionStats(id, stored.hash, stored.partitionKey, count, bytes));
        current += bytes + count * kStorageOverheadBytes;
    }
    collectionBytes = current + after - before;
    // Writes that shrink a collection stay allowed past the limit (reference C 1).
    if (after > before && collectionBytes > m_itemCollectionLimitBytes)
        return Status(error::kItemCollectionSizeLimitExceeded, "Item collection size limit exceeded");
    return Status::ok();
}

Status Engine::backfillIndex(const std::string& tableName, const std::string& indexName, std::int64_t maxItems,
    ConsumedCapacity& consumed)
{
    TableState* t = findTable(tableName);
    if (!t)
        return tableNotFound(tableName);
    IndexState* index = t->findIndex(indexName);
    if (!index)
        return Status::notFound("Requested resource not found: Index: " + indexName + " not found in table " + tableName);
    consumed.tableName = tableName;
    if (index->status == IndexStatus::Active)
        return Status::ok();
    if (maxItems < 1)
        return Status::validation("backfillIndex: maxItems must be at least 1");
    // Collect first, write after: index rows live in the B-tree being scanned.
    std::vector<std::pair<StoredKey, Item>> batch;
    StoredKey after { index->backfillHash, index->backfillPartitionKey, index->backfillSortKey };
    Status decodeStatus;
    CAPSIM_RETURN_IF_ERROR(m_store->scanRange(t->id, 0, UINT64_MAX, index->backfillStarted ? &after : nullptr,
        [&](const StoredRow& row) {
            auto item = decodeItem(row.blob);
            if (!item) {
                decodeStatus = item.status();
                return false;
            }
            batch.emplace_back(StoredKey { row.hash, std::string(row.partitionKey), std::string(row.sortKey) },
                std::move(item).value());
            return static_cast<std::int64_t>(batch.size()) < maxItems;
        }));
    CAPSIM_RETURN_IF_ERROR(decodeStatus);
    const TableState saved = *t;
    const ConsumedCapacity savedConsumed = consumed;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    Status s;
    for (const auto& [baseKey, item] : batch) {
        auto entry = indexEntryOf(t->key, *index, item);
        if (!entry)
            continue;
        bool found = false;
        std::int64_t oldSize = 0;
        s = m_store->get(index->id, entry->key, found, oldSize, nullptr);
        if (s)
            s = m_store->put(index->id, entry->key, entry->sizeBytes, encodeItem(entry->item));
        if (!s)
            break;
        Partition& p = index->partitions[index->partitionIndex(entry->key.hash)];
        p.itemCount += found ? 0 : 1;
        p.itemBytes += entry->sizeBytes - (found ? oldSize : 0);
        consumed.chargeGlobalIndex(index->name, p.id, 0.0, static_cast<double>(writeUnits(entry->sizeBytes)));
    }
    if (s) {
        if (!batch.empty()) {
            index->backfillStarted = true;
            index->backfillHash = batch.back().first.hash;
            index->backfillPartitionKey = batch.back().first.partitionKey;
            index->backfillSortKey = batch.back().first.sortKey;
            index->backfilledItems += static_cast<std::int64_t>(batch.size());
        }
        if (static_cast<std::int64_t>(batch.size()) < maxItems)
            index->status = IndexStatus::Active;
        s = saveTable(*t);
    }
    if (s)
        s = m_store->commit();
    if (!s) {
        m_store->rollback();
        *t = saved;
        consumed = savedConsumed;
    }
    return s;
}

GetItemResponse Engine::getItem(const GetItemRequest& request)
{
    GetItemResponse response;
    response.consumed.tableName = request.tableName;
    TableState* t = findTable(request.tableName);
    if (!t) {
        response.status = tableNotFound(request.tableName);
        return response;
    }
    if (request.expressionAttributes.values) {
        // GetItem takes no ExpressionAttributeValues: any given are unused.
        auto attributes = makeAttributes(request.expressionAttributes);
        response.status = attributes ? attributes->checkAllUsed() : attributes.status();
        return response;
    }
    auto parsedProjection = parseReadProjection(request.expressionAttributes.names, request.projectionExpression);
    if (!parsedProjection) {
        response.status = parsedProjection.status();
        return response;
    }
    std::optional<expr::Projection> projection = std::move(parsedProjection).value();
    if (Status s = validateKey(t->key, request.key, true); !s) {
        response.status = s;
        return response;
    }
    const StoredKey key = storedKeyOf(t->key, request.key);
    std::int64_t size = 0;
    Status decodeStatus;
    Status status = m_store->getInPlace(t->id, key, [&](std::int64_t sizeBytes, std::string_view blob) {
        size = sizeBytes;
        auto item = decodeItem(blob);
        if (!item)
            decodeStatus = item.status();
        else
            response.item = projection ? projection->apply(*item) : std::move(item).value();
    });
    if (!status || !decodeStatus) {
        response.status = !status ? status : decodeStatus;
        response.item.reset();
        return response;
    }
    // A missing item costs as a 1-byte item; projection does not reduce the cost (reference A2).
    response.consumed.charge(t->partitions[t->partitionIndex(key.hash)].id,
        readUnits(response.item ? size : 0, consistencyOf(request.consistentRead)), 0.0);
    return response;
}

// What the single-item writes share: the table, the key, the current item, and the parsed
// expressions. `proceed` is false when the response already holds the outcome (a rejected
// request, or a failed condition with its charge).
struct WriteContext {
    TableState* table = nullptr;
    StoredKey key;
    std::size_t partitionIndex = 0;
    bool existed = false;
    std::int64_t oldSize = 0;
    std::optional<Item> oldItem;
    std::optional<expr::Update> update;
    std::vector<expr::Path> updatePaths;
    bool proceed = false;
};

namespace {

Status parseWrite(const PutItemRequest&, expr::ExpressionAttributes&, WriteContext&)
{
    return Status::ok();
}

Status parseWrite(const DeleteItemRequest&, expr::ExpressionAttributes&, WriteContext&)
{
    return Status::ok();
}

Status parseWrite(const UpdateItemRequest& request, expr::ExpressionAttributes& attributes, WriteContext& context)
{
    if (!request.updateExpression)
        return Status::ok();
    auto parsed = expr::parseUpdate(*request.updateExpression, attributes);
    if (!parsed)
        return parsed.status();
    context.updatePaths = parsed->targetPaths();
    context.update = std::move(parsed).value();
    return Status::ok();
}

// Validates a single-item write, reads the current item and evaluates the condition. A failed
// condition consumes write units for the existing item's size, minimum 1 (reference A2).
template <typename Request>
WriteContext beginWrite(TableState* table, ItemStore& store, const Request& request, const Item& keyOrItem,
    bool exactKey, bool needOldItem, WriteResponse& response)
{
    WriteContext c;
    response.consumed.tableName = request.tableName;
    auto fail = [&](Status s) {
        response.status = std::move(s);
        return c;
    };
    if (!table)
        return fail(tableNotFound(request.tableName));
    c.table = table;
    if (Status s = checkReturnValues(request.returnValues, std::is_same_v<Request, UpdateItemRequest>); !s)
        return fail(s);
    auto attributes = makeAttributes(request.expressionAttributes);
    if (!attributes)
        return fail(attributes.status());
    if (Status s = parseWrite(request, *attributes, c); !s)
        return fail(s);
    std::optional<expr::Condition> condition;
    if (request.conditionExpression) {
        auto parsed = expr::parseCondition(*request.conditionExpression, *attributes, "ConditionExpression");
        if (!parsed)
            return fail(parsed.status());
        condition = std::move(parsed).value();
    }
    if (Status s = attributes->checkAllUsed(); !s)
        return fail(s);
    if (Status s = validateKey(table->key, keyOrItem, exactKey); !s)
        return fail(s);
    for (const auto& path : c.updatePaths) {
        const std::string& top = path.elements.front().name;
        if (top == table->key.partition.name || (table->key.sort && top == table->key.sort->name))
            return fail(invalidParameter("Cannot update attribute " + top + ". This attribute is part of the key"));
    }
    c.key = storedKeyOf(table->key, keyOrItem);
    c.partitionIndex = table->partitionIndex(c.key.hash);
    std::string blob;
    // Index maintenance compares the old and new entries, so it needs the whole old item.
    const bool readWhole = needOldItem || request.returnOldOnConditionFailure || condition.has_value()
        || !table->indexes.empty();
    if (Status s = store.get(table->id, c.key, c.existed, c.oldSize, readWhole ? &blob : nullptr); !s)
        return fail(s);
    if (c.existed && readWhole) {
        auto decoded = decodeItem(blob);
        if (!decoded)
            return fail(decoded.status());
        c.oldItem = std::move(decoded).value();
    }
    if (condition && !condition->evaluate(c.oldItem.value_or(Item {}))) {
        response.consumed.charge(table->partitions[c.partitionIndex].id, 0.0,
            static_cast<double>(writeUnits(c.existed ? c.oldSize : 0)));
        if (request.returnOldOnConditionFailure && c.oldItem)
            response.conditionFailureItem = c.oldItem;
        return fail(conditionFailed());
    }
    c.proceed = true;
    return c;
}

} // namespace

template <typename Request>
bool Engine::finishWrite(const Request& request, WriteContext& c, const Item* newItem, std::int64_t newSize,
    WriteResponse& response)
{
    TableState& table = *c.table;
    const Item& key = [&]() -> const Item& {
        if constexpr (std::is_same_v<Request, PutItemRequest>)
            return request.item;
        else
            return request.key;
    }();
    std::int64_t collectionBytes = 0;
    if (table.hasLocalIndexes()) {
        response.status = checkItemCollection(
            table, key, c.oldItem ? &*c.oldItem : nullptr, newItem, c.oldSize, newSize, collectionBytes);
        if (!response.status)
            return false;
    }
    const std::int64_t partitionId = table.partitions[c.partitionIndex].id;
    response.status = applyWriteAtomically(table, key, c.oldItem ? &*c.oldItem : nullptr, newItem, c.oldSize,
        c.existed, newSize, c.partitionIndex, response.consumed);
    if (!response.status)
        return false;
    // Put: the larger of old and new; Update: the larger of before and after; Delete: the
    // deleted item's size, 1 if missing (reference A2).
    const std::int64_t billed = newItem ? std::max(c.oldSize, newSize) : (c.existed ? c.oldSize : 0);
    response.consumed.charge(partitionId, 0.0, static_cast<double>(writeUnits(billed)));
    if (request.returnItemCollectionMetrics && table.hasLocalIndexes()) {
        // DynamoDB gives an estimate as a range in GB; capsim brackets the exact size.
        const double gb = static_cast<double>(collectionBytes) / (1024.0 * 1024.0 * 1024.0);
        ItemCollectionMetrics metrics;
        metrics.itemCollectionKey.emplace(table.key.partition.name, key.at(table.key.partition.name));
        metrics.sizeEstimateLowGb = std::floor(gb);
        metrics.sizeEstimateHighGb = std::floor(gb) + 1.0;
        response.itemCollectionMetrics = std::move(metrics);
    }
    return true;
}

WriteResponse Engine::putItem(const PutItemRequest& request)
{
    WriteResponse response;
    WriteContext c = beginWrite(findTable(request.tableName), *m_store, request, request.item, false,
        request.returnValues == ReturnValues::AllOld, response);
    if (!c.proceed)
        return response;
    if (Status s = validateItemLimits(request.item); s)
        response.status = validateIndexKeys(*c.table, request.item);
    else
        response.status = s;
    if (!response.status)
        return response;
    const std::int64_t newSize = itemSizeBytes(request.item);
    if (!finishWrite(request, c, &request.item, newSize, response))
        return response;
    if (request.returnValues == ReturnValues::AllOld && c.oldItem)
        response.attributes = std::move(c.oldItem);
    return response;
}

WriteResponse Engine::updateItem(const UpdateItemRequest& request)
{
    WriteResponse response;
    WriteContext c = beginWrite(findTable(request.tableName), *m_store, request, request.key, true, true, response);
    if (!c.proceed)
        return response;
    Item newItem = c.oldItem.value_or(request.key);
    if (c.update) {
        if (Status s = c.update->apply(newItem); !s) {
            response.status = s;
            return response;
        }
    }
    if (Status s = validateItemLimits(newItem); s)
        response.status = validateIndexKeys(*c.table, newItem);
    else
        response.status = s;
    if (!response.status)
        return response;
    const std::int64_t newSize = itemSizeBytes(newItem);
    if (!finishWrite(request, c, &newItem, newSize, response))
        return response;
    switch (request.returnValues) {
    case ReturnValues::None: break;
    case ReturnValues::AllOld:
        if (c.oldItem)
            response.attributes = std::move(c.oldItem);
        break;
    case ReturnValues::AllNew: response.attributes = std::move(newItem); break;
    case ReturnValues::UpdatedOld:
    case ReturnValues::UpdatedNew: {
        expr::Projection updated;
        updated.paths = c.updatePaths;
        Item projected
            = updated.apply(request.returnValues == ReturnValues::UpdatedOld ? c.oldItem.value_or(Item {}) : newItem);
        if (!projected.empty())
            response.attributes = std::move(projected);
        break;
    }
    }
    return response;
}

WriteResponse Engine::deleteItem(const DeleteItemRequest& request)
{
    WriteResponse response;
    WriteContext c = beginWrite(findTable(request.tableName), *m_store, request, request.key, true,
        request.returnValues == ReturnValues::AllOld, response);
    if (!c.proceed)
        return response;
    if (!finishWrite(request, c, nullptr, 0, response))
        return response;
    if (request.returnValues == ReturnValues::AllOld && c.oldItem)
        response.attributes = std::move(c.oldItem);
    return response;
}

namespace {

struct PageSetup {
    std::optional<expr::Condition> filter;
    std::optional<expr::Projection> projection;
    Select select = Select::AllAttributes;
};

Status validateSelect(const std::optional<Select>& select, const std::optional<std::string>& projection,
    const std::optional<std::string>& indexName, Select& out)
{
    // Without Select, an index read returns the projected attributes (DynamoDB's default).
    out = select.value_or(projection ? Select::SpecificAttributes
            : indexName              ? Select::AllProjectedAttributes
                                     : Select::AllAttributes);
    if (out == Select::SpecificAttributes && !projection)
        return Status::validation("Select type SPECIFIC_ATTRIBUTES requires ProjectionExpression or AttributesToGet");
    if (projection && out != Select::SpecificAttributes)
        return Status::validation(
            "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES "
            "or COUNT");
    if (out == Select::AllProjectedAttributes && !indexName)
        return Status::validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    return Status::ok();
}

Status validateLimit(const std::optional<std::int64_t>& limit)
{
    if (limit && *limit < 1)
        return Status::validation("1 validation error detected: Value '" + std::to_string(*limit)
            + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    return Status::ok();
}

// What reading an index needs beyond its entries: an LSI fetches the base item when the request
// needs attributes the index does not project; a GSI cannot (reference C 2.2).
Status planIndexRead(const TableState& table, const IndexState& index, const std::optional<Select>& select,
    const PageSetup& setup, bool& fetchBase)
{
    fetchBase = false;
    if (index.projection == ProjectionType::All)
        return Status::ok();
    std::vector<std::string> missing;
    if (setup.projection)
        for (const auto& path : setup.projection->paths)
            if (!isProjected(table.key, index, path.elements.front().name))
                missing.push_back(path.elements.front().name);
    if (setup.filter)
        for (const auto& name : setup.filter->topLevelNames())
            if (!isProjected(table.key, index, name))
                missing.push_back(name);
    const bool allAttributes = select == Select::AllAttributes;
    if (!allAttributes && missing.empty())
        return Status::ok();
    if (index.isGlobal()) {
        if (allAttributes)
            return invalidParameter("Select type ALL_ATTRIBUTES is not supported for global secondary index "
                + index.name + " because its projection type is not ALL");
        return invalidParameter("Global secondary index " + index.name + " does not project the attribute "
            + missing.front() + "; a query or scan on it can only read projected attributes");
    }
    fetchBase = true;
    return Status::ok();
}

// Resolves IndexName for Query and Scan.
Result<const IndexState*> readableIndex(const TableState& table, const std::string& indexName, bool consistentRead)
{
    const IndexState* index = table.findIndex(indexName);
    if (!index)
        return Status::validation("The table does not have the specified index: " + indexName);
    if (index->isGlobal() && consistentRead)
        return Status::validation("Consistent reads are not supported on global secondary indexes");
    if (index->status == IndexStatus::Creating)
        return Status::validation("Cannot read from backfilling global secondary index: " + indexName);
    return index;
}

// Accepts an evaluated item into a page: filter, count, project.
// `entry`, when given, is the index entry an LSI read fetched `item` for: the filter sees the
// whole item, but ALL_PROJECTED_ATTRIBUTES returns only what the index projects.
void acceptItem(ReadPageResponse& response, const PageSetup& setup, Item item, std::optional<Item> entry = std::nullopt)
{
    ++response.scannedCount;
    if (setup.filter && !setup.filter->evaluate(item))
        return;
    ++response.count;
    if (setup.select == Select::Count)
        return;
    if (entry && setup.select == Select::AllProjectedAttributes) {
        response.items.push_back(std::move(*entry));
        return;
    }
    response.items.push_back(setup.projection ? setup.projection->apply(item) : std::move(item));
}

// Finds what a Query or Scan reads (the table, and the index for IndexName) and checks Select
// and Limit.
template <typename Request>
Status resolvePage(TableState* table, const Request& request, const IndexState*& index, PageSetup& setup)
{
    if (!table)
        return tableNotFound(request.tableName);
    index = nullptr;
    if (request.indexName) {
        auto resolved = readableIndex(*table, *request.indexName, request.consistentRead);
        if (!resolved)
            return resolved.status();
        index = *resolved;
    }
    CAPSIM_RETURN_IF_ERROR(validateSelect(request.select, request.projectionExpression, request.indexName, setup.select));
    return validateLimit(request.limit);
}

// Parses FilterExpression and ProjectionExpression; a Query's filter may not name the key it
// queries (`queryKey`).
template <typename Request>
Status parsePageExpressions(const Request& request, expr::ExpressionAttributes& attributes, const KeySchema* queryKey,
    PageSetup& setup)
{
    if (request.filterExpression) {
        auto parsed = expr::parseCondition(*request.filterExpression, attributes, "FilterExpression");
        if (!parsed)
            return parsed.status();
        if (queryKey) {
            for (const auto& name : parsed->topLevelNames()) {
                if (name == queryKey->partition.name || (queryKey->sort && name == queryKey->sort->name))
                    return Status::validation(
                        "Filter Expression can only contain non-primary key attributes: Primary key attribute: " + name);
            }
        }
        setup.filter = std::move(parsed).value();
    }
    if (request.projectionExpression) {
        auto parsed = expr::parseProjection(*request.projectionExpression, attributes);
        if (!parsed)
            return parsed.status();
        setup.projection = std::move(parsed).value();
    }
    return Status::ok();
}

} // namespace

ReadPageResponse Engine::query(const QueryRequest& request)
{
    ReadPageResponse response;
    response.consumed.tableName = request.tableName;
    TableState* t = findTable(request.tableName);
    auto fail = [&](Status s) {
        response.status = std::move(s);
        return response;
    };
    const IndexState* index = nullptr;
    PageSetup setup;
    if (Status s = resolvePage(t, request, index, setup); !s)
        return fail(s);
    const KeySchema& key = index ? index->key : t->key;
    auto attributes = makeAttributes(request.expressionAttributes);
    if (!attributes)
        return fail(attributes.status());
    auto keyCondition = expr::parseKeyCondition(request.keyConditionExpression, *attributes, key.partition.name,
        key.partition.type, key.sort ? std::optional<std::string>(key.sort->name) : std::nullopt,
        key.sort ? key.sort->type : AttrType::S);
    if (!keyCondition)
        return fail(keyCondition.status());
    if (Status s = parsePageExpressions(request, *attributes, &key, setup); !s)
        return fail(s);
    if (Status s = attributes->checkAllUsed(); !s)
        return fail(s);
    if (Status s = validateKeyAttribute(key.partition, keyCondition->partitionValue, true); !s)
        return fail(s);
    bool fetchBase = false;
    if (index) {
        if (Status s = planIndexRead(*t, *index, request.select, setup, fetchBase); !s)
            return fail(s);
    }

    const std::string partitionKey = encodeKeyValue(keyCondition->partitionValue);
    const std::uint64_t hash = partitionHash(partitionKey);
    std::optional<std::string> startAfter;
    if (request.exclusiveStartKey) {
        const Item& start = *request.exclusiveStartKey;
        if (index) {
            if (Status s = validateIndexStartKey(t->key, *index, start); !s)
                return fail(s);
        } else if (Status s = validateKey(t->key, start, true); !s) {
            return fail(Status::validation("The provided starting key is invalid: " + s.message()));
        }
        if (!(start.at(key.partition.name) == keyCondition->partitionValue))
            return fail(Status::validation("The provided starting key is outside query range"));
        if (index)
            startAfter = indexStoredKey(t->key, *index, start).sortKey;
        else if (t->key.sort)
            startAfter = encodeKeyValue(start.at(t->key.sort->name));
    }
    // Index sort keys are composite (index sort key, then the table key): bounds on the index
    // sort key become bounds on its encoded component.
    auto bound = [&](const AttributeValue& v) { return index ? keyComponent(v) : encodeKeyValue(v); };
    SortKeyRange range;
    using Op = expr::KeyCondition::SortOp;
    const auto& kc = *keyCondition;
    switch (kc.sortOp) {
    case Op::None: break;
    case Op::Eq:
        if (index) {
            range.lower = bound(kc.sortValue1);
            range.upper = prefixSuccessor(*range.lower);
            range.upperInclusive = false;
        } else {
            range.lower = range.upper = bound(kc.sortValue1);
        }
        break;
    case Op::Lt: range.upper = bound(kc.sortValue1), range.upperInclusive = false; break;
    case Op::Le:
        if (index)
            range.upper = prefixSuccessor(bound(kc.sortValue1)), range.upperInclusive = false;
        else
            range.upper = bound(kc.sortValue1);
        break;
    case Op::Gt:
        if (index)
            range.lower = prefixSuccessor(bound(kc.sortValue1));
        else
            range.lower = bound(kc.sortValue1), range.lowerInclusive = false;
        break;
    case Op::Ge: range.lower = bound(kc.sortValue1); break;
    case Op::Between:
        range.lower = bound(kc.sortValue1);
        if (index)
            range.upper = prefixSuccessor(bound(kc.sortValue2)), range.upperInclusive = false;
        else
            range.upper = bound(kc.sortValue2);
        break;
    case Op::BeginsWith: {
        std::string prefix;
        if (index) {
            // The escaped bytes without the terminator: a prefix of every longer value's component.
            prefix = keyComponent(kc.sortValue1);
            prefix.resize(prefix.size() - 2);
        } else {
            prefix = encodeKeyValue(kc.sortValue1);
        }
        range.lower = prefix;
        range.upper = prefixSuccessor(prefix);
        range.upperInclusive = false;
        break;
    }
    }
    const std::int64_t storageId = index ? index->id : t->id;
    const Consistency consistency = consistencyOf(request.consistentRead);
    std::int64_t evaluatedBytes = 0;
    double fetchUnits = 0.0;
    bool stoppedEarly = false;
    std::optional<Item> lastItem;
    Status rowStatus;
    // Without a sort key an item collection is one item: a page after it holds nothing.
    const bool exhausted = request.exclusiveStartKey && !index && !t->key.sort;
    Status status = exhausted ? Status::ok() : m_store->queryCollection(storageId, hash, partitionKey, range, request.scanIndexForward,
        startAfter ? &*startAfter : nullptr, [&](const StoredRow& row) {
            auto item = decodeItem(row.blob);
            if (!item) {
                rowStatus = item.status();
                return false;
            }
            evaluatedBytes += row.sizeBytes;
            lastItem = index ? indexPageKey(t->key, *index, *item) : keyOf(t->key, *item);
            if (fetchBase) {
                // Each fetched base item is rounded to 4 KB on its own (reference C 2.2).
                bool found = false;
                std::int64_t size = 0;
                std::string blob;
                rowStatus = m_store->get(t->id, storedKeyOf(t->key, *item), found, size, &blob);
                if (!rowStatus || !found)
                    return rowStatus.isOk();
                fetchUnits += readUnits(size, consistency);
                auto fetched = decodeItem(blob);
                if (!fetched) {
                    rowStatus = fetched.status();
                    return false;
                }
                acceptItem(response, setup, std::move(fetched).value(), std::move(item).value());
            } else {
                acceptItem(response, setup, std::move(item).value());
            }
            // A page ends at Limit items evaluated or 1 MB read, before the filter (reference A2).
            if ((request.limit && response.scannedCount >= *request.limit) || evaluatedBytes >= kPageBytes) {
                stoppedEarly = true;
                return false;
            }
            return true;
        });
    if (!status)
        return fail(status);
    if (!rowStatus)
        return fail(rowStatus);
    if (stoppedEarly)
        response.lastEvaluatedKey = std::move(lastItem);
    // Query sums the sizes of all entries evaluated and rounds once (reference A2); a GSI's
    // units are its own, an LSI's count against the table (reference C 2.2).
    const double units = readUnits(evaluatedBytes, consistency);
    const std::int64_t tablePartitionId = t->partitions[t->partitionIndex(hash)].id;
    if (!index) {
        response.consumed.charge(tablePartitionId, units, 0.0);
    } else if (index->isGlobal()) {
        response.consumed.chargeGlobalIndex(index->name, index->partitions[index->partitionIndex(hash)].id, units, 0.0);
    } else {
        response.consumed.chargeLocalIndex(index->name, tablePartitionId, units, 0.0);
        if (fetchBase)
            response.consumed.charge(tablePartitionId, fetchUnits, 0.0);
    }
    return response;
}

ReadPageResponse Engine::scan(const ScanRequest& request)
{
    ReadPageResponse response;
    response.consumed.tableName = request.tableName;
    TableState* t = findTable(request.tableName);
    auto fail = [&](Status s) {
        response.status = std::move(s);
        return response;
    };
    const IndexState* index = nullptr;
    PageSetup setup;
    if (Status s = resolvePage(t, request, index, setup); !s)
        return fail(s);
    if (request.segment.has_value() != request.totalSegments.has_value())
        return fail(Status::validation(request.segment
                ? "The TotalSegments parameter is required but was not present in the request when Segment "
                  "parameter is present"
                : "The Segment parameter is required but was not present in the request when parameter "
                  "TotalSegments is present"));
    std::uint64_t hashLow = 0;
    std::uint64_t hashHigh = UINT64_MAX;
    if (request.totalSegments) {
        const std::int64_t total = *request.totalSegments;
        const std::int64_t segment = *request.segment;
        if (total < 1 || total > 1000000)
            return fail(Status::validation("1 validation error detected: Value '" + std::to_string(total)
                + "' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to "
                  "1000000 and greater than or equal to 1"));
        if (segment < 0 || segment >= total)
            return fail(Status::validation("The Segment parameter is zero-based and must be less than parameter "
                                           "TotalSegments: Segment: "
                + std::to_string(segment) + " is out of bounds for TotalSegments: " + std::to_string(total)));
        hashLow = segmentBoundary(segment, total);
        hashHigh = segment + 1 == total ? UINT64_MAX : segmentBoundary(segment + 1, total) - 1;
    }
    auto attributes = makeAttributes(request.expressionAttributes);
    if (!attributes)
        return fail(attributes.status());
    if (Status s = parsePageExpressions(request, *attributes, nullptr, setup); !s)
        return fail(s);
    if (Status s = attributes->checkAllUsed(); !s)
        return fail(s);
    bool fetchBase = false;
    if (index) {
        if (Status s = planIndexRead(*t, *index, request.select, setup, fetchBase); !s)
            return fail(s);
    }
    std::optional<StoredKey> startAfter;
    if (request.exclusiveStartKey) {
        if (index) {
            if (Status s = validateIndexStartKey(t->key, *index, *request.exclusiveStartKey); !s)
                return fail(s);
            startAfter = indexStoredKey(t->key, *index, *request.exclusiveStartKey);
        } else {
            if (Status s = validateKey(t->key, *request.exclusiveStartKey, true); !s)
                return fail(Status::validation("The provided starting key is invalid: " + s.message()));
            startAfter = storedKeyOf(t->key, *request.exclusiveStartKey);
        }
        if (startAfter->hash < hashLow || startAfter->hash > hashHigh)
            return fail(Status::validation("The provided Exclusive start key does not map to the provided segment"));
    }
    // A GSI's entries spread over its own partitions; an LSI's live in the table's.
    const std::vector<Partition>& partitions = index && index->isGlobal() ? index->partitions : t->partitions;
    const std::int64_t storageId = index ? index->id : t->id;
    const Consistency consistency = consistencyOf(request.consistentRead);
    const std::size_t firstPartition = partitionIndexIn(partitions, startAfter ? startAfter->hash : hashLow);
    std::size_t lastPartition = partitionIndexIn(partitions, hashHigh);
    std::map<std::size_t, std::int64_t> bytesByPartition;
    std::map<std::size_t, double> fetchUnitsByPartition;
    std::int64_t evaluatedBytes = 0;
    bool stoppedEarly = false;
    std::optional<Item> lastItem;
    Status decodeStatus;
    Status status = m_store->scanRange(storageId, hashLow, hashHigh, startAfter ? &*startAfter : nullptr,
        [&](const StoredRow& row) {
            auto item = decodeItem(row.blob);
            if (!item) {
                decodeStatus = item.status();
                return false;
            }
            evaluatedBytes += row.sizeBytes;
            bytesByPartition[partitionIndexIn(partitions, row.hash)] += row.sizeBytes;
            lastItem = index ? indexPageKey(t->key, *index, *item) : keyFromRow(t->key, row);
            if (fetchBase) {
                // Each fetched base item is rounded to 4 KB on its own (reference C 2.2).
                bool found = false;
                std::int64_t size = 0;
                std::string blob;
                decodeStatus = m_store->get(t->id, storedKeyOf(t->key, *item), found, size, &blob);
                if (!decodeStatus || !found)
                    return decodeStatus.isOk();
                fetchUnitsByPartition[partitionIndexIn(partitions, row.hash)] += readUnits(size, consistency);
                auto fetched = decodeItem(blob);
                if (!fetched) {
                    decodeStatus = fetched.status();
                    return false;
                }
                acceptItem(response, setup, std::move(fetched).value(), std::move(item).value());
            } else {
                acceptItem(response, setup, std::move(item).value());
            }
            if ((request.limit && response.scannedCount >= *request.limit) || evaluatedBytes >= kPageBytes) {
                stoppedEarly = true;
                lastPartition = partitionIndexIn(partitions, row.hash);
                return false;
            }
            return true;
        });
    if (!status)
        return fail(status);
    if (!decodeStatus)
        return fail(decodeStatus);
    if (stoppedEarly)
        response.lastEvaluatedKey = std::move(lastItem);
    // Sizes are summed and rounded once, with a minimum of one unit (strong) for every
    // partition the page touched, empty ones included (reference A2).
    const std::int64_t touched = static_cast<std::int64_t>(lastPartition - firstPartition + 1);
    const double multiplier = request.consistentRead ? 1.0 : 0.5;
    const std::int64_t strongUnits = std::max(strongReadUnits(evaluatedBytes), touched);
    const double units = multiplier * static_cast<double>(strongUnits);
    std::int64_t weightSum = 0;
    std::vector<std::int64_t> weights;
    for (std::size_t i = firstPartition; i <= lastPartition; ++i) {
        auto it = bytesByPartition.find(i);
        weights.push_back(strongReadUnits(it == bytesByPartition.end() ? 0 : it->second));
        weightSum += weights.back();
    }
    for (std::size_t i = firstPartition; i <= lastPartition; ++i) {
        const double share = units * static_cast<double>(weights[i - firstPartition]) / static_cast<double>(weightSum);
        if (!index)
            response.consumed.charge(partitions[i].id, share, 0.0);
        else if (index->isGlobal())
            response.consumed.chargeGlobalIndex(index->name, partitions[i].id, share, 0.0);
        else
            response.consumed.chargeLocalIndex(index->name, partitions[i].id, share, 0.0);
    }
    for (const auto& [i, fetched] : fetchUnitsByPartition)
        response.consumed.charge(partitions[i].id, fetched, 0.0);
    return response;
}

BatchGetItemResponse Engine::batchGetItem(const BatchGetItemRequest& request)
{
    BatchGetItemResponse response;
    std::size_t totalKeys = 0;
    for (const auto& [tableName, entry] : request.requestItems)
        totalKeys += entry.keys.size();
    if (request.requestItems.empty()) {
        response.status = Status::validation("1 validation error detected: Value at 'requestItems' failed to "
                                             "satisfy constraint: Member must have length greater than or equal to 1");
        return response;
    }
    if (totalKeys > kBatchGetMaxKeys) {
        response.status = Status::validation("Too many items requested for the BatchGetItem call");
        return response;
    }
    // Validate everything before reading anything.
    std::vector<std::optional<expr::Projection>> projections;
    for (const auto& [tableName, entry] : request.requestItems) {
        const TableState* t = table(tableName);
        if (!t) {
            response.status = tableNotFound(tableName);
            return response;
        }
        if (entry.keys.empty()) {
            response.status = Status::validation("1 validation error detected: Value at 'requestItems." + tableName
                + ".member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
            return response;
        }
        auto parsedProjection = parseReadProjection(entry.expressionAttributeNames, entry.projectionExpression);
        if (!parsedProjection) {
            response.status = parsedProjection.status();
            return response;
        }
        std::optional<expr::Projection> projection = std::move(parsedProjection).value();
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& key : entry.keys) {
            if (Status s = validateKey(t->key, key, true); !s) {
                response.status = s;
                return response;
            }
            const StoredKey stored = storedKeyOf(t->key, key);
            if (!seen.emplace(stored.partitionKey, stored.sortKey).second) {
                response.status = Status::validation("Provided list of item keys contains duplicates");
                return response;
            }
        }
        projections.push_back(std::move(projection));
    }
    std::int64_t responseBytes = 0;
    std::size_t tableIndex = 0;
    for (const auto& [tableName, entry] : request.requestItems) {
        const TableState* t = table(tableName);
        ConsumedCapacity consumed;
        consumed.tableName = tableName;
        auto& items = response.responses[tableName];
        for (const auto& key : entry.keys) {
            if (responseBytes >= kBatchGetResponseBytes) {
                // Past 16 MB the rest is returned unprocessed, for the caller to retry.
                auto& unprocessed = response.unprocessedKeys[tableName];
                unprocessed.consistentRead = entry.consistentRead;
                unprocessed.projectionExpression = entry.projectionExpression;
                unprocessed.expressionAttributeNames = entry.expressionAttributeNames;
                unprocessed.keys.push_back(key);
                continue;
            }
            const StoredKey stored = storedKeyOf(t->key, key);
            bool found = false;
            std::int64_t size = 0;
            std::string blob;
            if (Status s = m_store->get(t->id, stored, found, size, &blob); !s) {
                response.status = s;
                return response;
            }
            // Each item is rounded separately, then summed (reference A2).
            consumed.charge(t->partitions[t->partitionIndex(stored.hash)].id,
                readUnits(found ? size : 0, consistencyOf(entry.consistentRead)), 0.0);
            if (!found)
                continue;
            auto item = decodeItem(blob);
            if (!item) {
                response.status = item.status();
                return response;
            }
            responseBytes += size;
            const auto& projection = projections[tableIndex];
            items.push_back(projection ? projection->apply(*item) : std::move(item).value());
        }
        response.consumed.push_back(std::move(consumed));
        ++tableIndex;
    }
    return response;
}

BatchWriteItemResponse Engine::batchWriteItem(const BatchWriteItemRequest& request)
{
    BatchWriteItemResponse response;
    std::size_t total = 0;
    for (const auto& [tableName, writes] : request.requestItems)
        total += writes.size();
    if (request.requestItems.empty() || total == 0) {
        response.status = Status::validation("1 validation error detected: Value at 'requestItems' failed to "
                                             "satisfy constraint: Member must have length greater than or equal to 1");
        return response;
    }
    if (total > kBatchWriteMaxRequests) {
        response.status = Status::validation("1 validation error detected: Value at 'requestItems' failed to satisfy "
                                             "constraint: Map value must satisfy constraint: [Member must have length "
                                             "less than or equal to 25, Member must have length greater than or "
                                             "equal to 1]");
        return response;
    }
    // Validate every request before writing any, so a rejected batch changes nothing.
    for (const auto& [tableName, writes] : request.requestItems) {
        const TableState* t = table(tableName);
        if (!t) {
            response.status = tableNotFound(tableName);
            return response;
        }
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& write : writes) {
            if (Status s = validateKey(t->key, write.item, !write.isPut); !s) {
                response.status = s;
                return response;
            }
            if (write.isPut) {
                Status s = validateItemLimits(write.item);
                if (s)
                    s = validateIndexKeys(*t, write.item);
                if (!s) {
                    response.status = s;
                    return response;
                }
            }
            const StoredKey stored = storedKeyOf(t->key, write.item);
            if (!seen.emplace(stored.partitionKey, stored.sortKey).second) {
                response.status = Status::validation("Provided list of item keys contains duplicates");
                return response;
            }
        }
    }
    // One storage transaction: a crash leaves the batch applied or not, never torn.
    std::map<std::string, TableState> savedTables;
    for (const auto& [tableName, writes] : request.requestItems)
        savedTables.emplace(tableName, *findTable(tableName));
    auto restore = [&]() {
        m_store->rollback();
        for (auto& [tableName, saved] : savedTables)
            *findTable(tableName) = saved;
    };
    if (Status s = m_store->begin(); !s) {
        response.status = s;
        return response;
    }
    for (const auto& [tableName, writes] : request.requestItems) {
        TableState* t = findTable(tableName);
        ConsumedCapacity consumed;
        consumed.tableName = tableName;
        for (const auto& write : writes) {
            const StoredKey stored = storedKeyOf(t->key, write.item);
            bool existed = false;
            std::int64_t oldSize = 0;
            std::string blob;
            const bool indexed = !t->indexes.empty();
            Status s = m_store->get(t->id, stored, existed, oldSize, indexed ? &blob : nullptr);
            std::optional<Item> oldItem;
            if (s && existed && indexed) {
                auto decoded = decodeItem(blob);
                if (decoded)
                    oldItem = std::move(decoded).value();
                else
                    s = decoded.status();
            }
            const std::size_t partitionIndex = t->partitionIndex(stored.hash);
            const std::int64_t partitionId = t->partitions[partitionIndex].id;
            const std::int64_t newSize = write.isPut ? itemSizeBytes(write.item) : 0;
            const Item* newItem = write.isPut ? &write.item : nullptr;
            if (s && t->hasLocalIndexes()) {
                std::int64_t collectionBytes = 0;
                s = checkItemCollection(
                    *t, write.item, oldItem ? &*oldItem : nullptr, newItem, oldSize, newSize, collectionBytes);
            }
            if (s)
                s = applyWrite(*t, write.item, oldItem ? &*oldItem : nullptr, newItem, oldSize, existed, newSize,
                    partitionIndex, &consumed);
            if (!s) {
                restore();
                response.status = s;
                return response;
            }
            // Each request rounds separately (reference A2).
            consumed.charge(partitionId, 0.0,
                static_cast<double>(writeUnits(write.isPut ? std::max(oldSize, newSize) : (existed ? oldSize : 0))));
        }
        response.consumed.push_back(std::move(consumed));
    }
    if (Status s = m_store->commit(); !s) {
        restore();
        response.status = s;
        response.consumed.clear();
    }
    return response;
}

namespace {

constexpr std::size_t kTransactMaxActions = 100;
constexpr std::int64_t kTransactMaxBytes = 4 * 1024 * 1024;
constexpr EngineTime kIdempotencyWindow = 10 * 60 * kMicrosPerSecond;
// Every item of a transaction is read or written twice, prepare and commit (reference C 2.4).
constexpr double kTransactionalFactor = 2.0;

const char* actionName(TransactWriteAction::Type type)
{
    switch (type) {
    case TransactWriteAction::Type::ConditionCheck: return "conditionCheck";
    case TransactWriteAction::Type::Put: return "put";
    case TransactWriteAction::Type::Update: return "update";
    case TransactWriteAction::Type::Delete: return "delete";
    }
    return "";
}

Status transactItemsLength(std::size_t count)
{
    if (count == 0)
        return Status::validation("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
                                  "constraint: Member must have length greater than or equal to 1");
    if (count > kTransactMaxActions)
        return Status::validation("1 validation error detected: Value at 'transactItems' failed to satisfy "
                                  "constraint: Member must have length less than or equal to 100 (got "
            + std::to_string(count) + " actions)");
    return Status::ok();
}

// A per-action message names the action, as DynamoDB's field paths do (1-based).
Status atAction(const Status& s, std::size_t index)
{
    return Status(s.type(), s.message() + " (at transactItems." + std::to_string(index + 1) + ")");
}

Status duplicateItem()
{
    return Status::validation("Transaction request cannot include multiple operations on one item");
}

// The entry of `list` for `tableName`, appended on first use: transaction APIs report one
// ConsumedCapacity per table, in the order the request first names it.
ConsumedCapacity& capacityOf(std::vector<ConsumedCapacity>& list, const std::string& tableName)
{
    for (auto& c : list)
        if (c.tableName == tableName)
            return c;
    list.emplace_back();
    list.back().tableName = tableName;
    return list.back();
}

// One validated action of a TransactWriteItems, with what the prepare step read.
struct PreparedAction {
    TableState* table = nullptr;
    StoredKey key;
    std::optional<expr::Condition> condition;
    std::optional<expr::Update> update;
    bool existed = false;
    std::int64_t oldSize = 0;
    std::optional<Item> oldItem;
    std::optional<Item> newItem;
    std::int64_t newSize = 0;
};

} // namespace

void Engine::failNextStorageWrite(int afterWrites)
{
    m_store->failWriteAfter(afterWrites);
}

TransactWriteItemsResponse Engine::transactWriteItems(const TransactWriteItemsRequest& request, EngineTime now)
{
    TransactWriteItemsResponse response;
    auto fail = [&](Status s) {
        response.status = std::move(s);
        return response;
    };
    if (Status s = transactItemsLength(request.actions.size()); !s)
        return fail(s);
    if (request.clientRequestToken && (request.clientRequestToken->empty() || request.clientRequestToken->size() > 36))
        return fail(Status::validation("1 validation error detected: Value '" + *request.clientRequestToken
            + "' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to "
              "36 and greater than or equal to 1"));

    // A token is remembered for 10 minutes (reference C 2.4).
    for (auto it = m_transactionTokens.begin(); it != m_transactionTokens.end();)
        it = now - it->second.at >= kIdempotencyWindow ? m_transactionTokens.erase(it) : std::next(it);
    if (request.clientRequestToken) {
        auto it = m_transactionTokens.find(*request.clientRequestToken);
        if (it != m_transactionTokens.end()) {
            if (!(it->second.request == request))
                return fail(Status(error::kIdempotentParameterMismatch,
                    "The request uses the same client token as a previous, but non-identical request (ClientRequestToken "
                        + *request.clientRequestToken + ")"));
            // A replay writes nothing; it consumes read units for reading the items instead
            // of write units (reference C 2.4), one strong read of each item as it is now.
            TransactWriteItemsResponse replay = it->second.replay;
            for (const auto& action : request.actions) {
                const TableState* t = table(action.tableName);
                ConsumedCapacity& consumed = capacityOf(replay.consumed, action.tableName);
                if (!t)
                    continue;
                const StoredKey key = storedKeyOf(t->key, action.item);
                bool found = false;
                std::int64_t size = 0;
                if (Status s = m_store->get(t->id, key, found, size, nullptr); !s)
                    return fail(s);
                consumed.charge(t->partitions[t->partitionIndex(key.hash)].id,
                    readUnits(found ? size : 0, Consistency::Strong), 0.0);
            }
            return replay;
        }
    }

    // Validate every action before reading any item: a malformed request is rejected whole
    // and consumes nothing.
    std::vector<PreparedAction> prepared(request.actions.size());
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    std::int64_t aggregateBytes = 0;
    for (std::size_t i = 0; i < request.actions.size(); ++i) {
        const TransactWriteAction& action = request.actions[i];
        PreparedAction& p = prepared[i];
        using Type = TransactWriteAction::Type;
        const std::string field = "transactItems." + std::to_string(i + 1) + ".member." + actionName(action.type);
        p.table = findTable(action.tableName);
        if (!p.table)
            return fail(tableNotFound(action.tableName));
        if (action.type == Type::Update && !action.updateExpression)
            return fail(Status::validation("1 validation error detected: Value null at '" + field
                + ".updateExpression' failed to satisfy constraint: Member must not be null"));
        if (action.type == Type::ConditionCheck && !action.conditionExpression)
            return fail(Status::validation("1 validation error detected: Value null at '" + field
                + ".conditionExpression' failed to satisfy constraint: Member must not be null"));
        auto attributes = makeAttributes(action.expressionAttributes);
        if (!attributes)
            return fail(atAction(attributes.status(), i));
        if (action.updateExpression) {
            auto parsed = expr::parseUpdate(*action.updateExpression, *attributes);
            if (!parsed)
                return fail(atAction(parsed.status(), i));
            for (const auto& path : parsed->targetPaths()) {
                const std::string& top = path.elements.front().name;
                if (top == p.table->key.partition.name || (p.table->key.sort && top == p.table->key.sort->name))
                    return fail(atAction(
                        invalidParameter("Cannot update attribute " + top + ". This attribute is part of the key"), i));
            }
            p.update = std::move(parsed).value();
        }
        if (action.conditionExpression) {
            auto parsed = expr::parseCondition(*action.conditionExpression, *attributes, "ConditionExpression");
            if (!parsed)
                return fail(atAction(parsed.status(), i));
            p.condition = std::move(parsed).value();
        }
        if (Status s = attributes->checkAllUsed(); !s)
            return fail(atAction(s, i));
        if (Status s = validateKey(p.table->key, action.item, action.type != Type::Put); !s)
            return fail(atAction(s, i));
        if (action.type == Type::Put) {
            Status s = validateItemLimits(action.item);
            if (s)
                s = validateIndexKeys(*p.table, action.item);
            if (!s)
                return fail(atAction(s, i));
        }
        p.key = storedKeyOf(p.table->key, action.item);
        if (!seen.emplace(action.tableName, p.key.partitionKey, p.key.sortKey).second)
            return fail(duplicateItem());
        // The 4 MB limit is on the items the request carries: whole items for Put, keys otherwise.
        aggregateBytes += itemSizeBytes(action.item);
    }
    if (aggregateBytes > kTransactMaxBytes)
        return fail(Status::validation("Transaction request size of " + std::to_string(aggregateBytes)
            + " bytes has exceeded the maximum allowed size of 4 MB (4194304 bytes)"));

    // One storage transaction: prepare (read and check every item), then commit (write them).
    std::map<std::string, TableState> savedTables;
    for (const auto& action : request.actions)
        if (!savedTables.count(action.tableName))
            savedTables.emplace(action.tableName, *findTable(action.tableName));
    auto restore = [&]() {
        // The rollback's own failure is ignored: the in-memory state must be restored anyway,
        // and a failed rollback leaves SQLite's transaction aborted, which it discards.
        m_store->rollback();
        for (auto& [tableName, saved] : savedTables)
            *findTable(tableName) = saved;
    };
    if (Status s = m_store->begin(); !s)
        return fail(s);

    std::vector<CancellationReason> reasons(request.actions.size());
    bool cancelled = false;
    for (std::size_t i = 0; i < request.actions.size(); ++i) {
        const TransactWriteAction& action = request.actions[i];
        PreparedAction& p = prepared[i];
        std::string blob;
        if (Status s = m_store->get(p.table->id, p.key, p.existed, p.oldSize, &blob); !s) {
            restore();
            return fail(s);
        }
        if (p.existed) {
            auto decoded = decodeItem(blob);
            if (!decoded) {
                restore();
                return fail(decoded.status());
            }
            p.oldItem = std::move(decoded).value();
        }
        if (p.condition && !p.condition->evaluate(p.oldItem.value_or(Item {}))) {
            reasons[i].code = "ConditionalCheckFailed";
            reasons[i].message = "The conditional request failed";
            if (action.returnOldOnConditionFailure && p.oldItem)
                reasons[i].item = p.oldItem;
            cancelled = true;
            continue;
        }
        using Type = TransactWriteAction::Type;
        if (action.type == Type::Put) {
            p.newItem = action.item;
        } else if (action.type == Type::Update) {
            Item updated = p.oldItem.value_or(action.item);
            Status s = p.update->apply(updated);
            if (s)
                s = validateItemLimits(updated);
            if (s)
                s = validateIndexKeys(*p.table, updated);
            if (!s) {
                reasons[i].code = "ValidationError";
                reasons[i].message = s.message();
                cancelled = true;
                continue;
            }
            p.newItem = std::move(updated);
        }
        if (p.newItem)
            p.newSize = itemSizeBytes(*p.newItem);
    }

    auto cancel = [&]() {
        restore();
        // A cancelled transaction still consumes capacity (reference C 2.4): capsim charges
        // the prepare step only, each action like a failed conditional write, the existing
        // item's write units, minimum 1 (reference A2), at 1x and without index upkeep.
        response.consumed.clear();
        for (std::size_t i = 0; i < request.actions.size(); ++i) {
            const PreparedAction& p = prepared[i];
            capacityOf(response.consumed, request.actions[i].tableName)
                .charge(p.table->partitions[p.table->partitionIndex(p.key.hash)].id, 0.0,
                    static_cast<double>(writeUnits(p.existed ? p.oldSize : 0)));
        }
        std::string codes;
        for (const auto& r : reasons)
            codes += (codes.empty() ? "" : ", ") + r.code;
        response.cancellationReasons = reasons;
        return fail(Status(error::kTransactionCanceled,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]"));
    };
    if (cancelled)
        return cancel();

    for (std::size_t i = 0; i < request.actions.size(); ++i) {
        const TransactWriteAction& action = request.actions[i];
        PreparedAction& p = prepared[i];
        TableState& t = *p.table;
        ConsumedCapacity& consumed = capacityOf(response.consumed, action.tableName);
        const Item* oldItem = p.oldItem ? &*p.oldItem : nullptr;
        const Item* newItem = p.newItem ? &*p.newItem : nullptr;
        // Earlier writes of this transaction may have split a partition: look it up now.
        const std::size_t partitionIndex = t.partitionIndex(p.key.hash);
        const std::int64_t partitionId = t.partitions[partitionIndex].id;
        // Put and Update: the larger of old and new; Delete and ConditionCheck: the existing
        // item, 1 if missing (reference A2); each doubled, while index upkeep (charged by
        // applyWrite) stays at 1x (reference A2, C 2.4).
        const std::int64_t billed = newItem ? std::max(p.oldSize, p.newSize) : (p.existed ? p.oldSize : 0);
        consumed.charge(partitionId, 0.0, kTransactionalFactor * static_cast<double>(writeUnits(billed)));
        if (action.type == TransactWriteAction::Type::ConditionCheck)
            continue;
        Status s;
        if (t.hasLocalIndexes()) {
            std::int64_t collectionBytes = 0;
            s = checkItemCollection(t, action.item, oldItem, newItem, p.oldSize, p.newSize, collectionBytes);
            if (!s && !s.is(error::kInternalServerError)) {
                reasons[i].code = s.is(error::kItemCollectionSizeLimitExceeded) ? "ItemCollectionSizeLimitExceeded"
                                                                                : "ValidationError";
                reasons[i].message = s.message();
                return cancel();
            }
        }
        if (s)
            s = applyWrite(
                t, action.item, oldItem, newItem, p.oldSize, p.existed, p.newSize, partitionIndex, &consumed);
        if (!s) {
            restore();
            response.consumed.clear();
            return fail(s);
        }
    }
    if (Status s = m_store->commit(); !s) {
        restore();
        response.consumed.clear();
        return fail(s);
    }
    if (request.clientRequestToken)
        m_transactionTokens[*request.clientRequestToken] = { now, request, TransactWriteItemsResponse {} };
    return response;
}

TransactGetItemsResponse Engine::transactGetItems(const TransactGetItemsRequest& request)
{
    TransactGetItemsResponse response;
    auto fail = [&](Status s) {
        response.status = std::move(s);
        response.items.clear();
        response.consumed.clear();
        return response;
    };
    if (Status s = transactItemsLength(request.gets.size()); !s)
        return fail(s);
    std::vector<std::optional<expr::Projection>> projections;
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (std::size_t i = 0; i < request.gets.size(); ++i) {
        const TransactGetAction& get = request.gets[i];
        const TableState* t = table(get.tableName);
        if (!t)
            return fail(tableNotFound(get.tableName));
        auto parsedProjection = parseReadProjection(get.expressionAttributeNames, get.projectionExpression);
        if (!parsedProjection)
            return fail(atAction(parsedProjection.status(), i));
        std::optional<expr::Projection> projection = std::move(parsedProjection).value();
        if (Status s = validateKey(t->key, get.key, true); !s)
            return fail(atAction(s, i));
        const StoredKey key = storedKeyOf(t->key, get.key);
        if (!seen.emplace(get.tableName, key.partitionKey, key.sortKey).second)
            return fail(duplicateItem());
        projections.push_back(std::move(projection));
    }
    // The engine is single-threaded, so reading the items one after another is already
    // all-or-nothing: no write can come between two of the reads.
    std::int64_t aggregateBytes = 0;
    for (std::size_t i = 0; i < request.gets.size(); ++i) {
        const TransactGetAction& get = request.gets[i];
        const TableState* t = table(get.tableName);
        const StoredKey key = storedKeyOf(t->key, get.key);
        bool found = false;
        std::int64_t size = 0;
        std::string blob;
        if (Status s = m_store->get(t->id, key, found, size, &blob); !s)
            return fail(s);
        // Twice a strong read of the whole item, a missing item counting as 1 byte; projection
        // does not reduce it (reference A2).
        capacityOf(response.consumed, get.tableName)
            .charge(t->partitions[t->partitionIndex(key.hash)].id,
                kTransactionalFactor * readUnits(found ? size : 0, Consistency::Strong), 0.0);
        if (!found) {
            response.items.emplace_back();
            continue;
        }
        aggregateBytes += size;
        auto item = decodeItem(blob);
        if (!item)
            return fail(item.status());
        response.items.emplace_back(projections[i] ? projections[i]->apply(*item) : std::move(item).value());
    }
    if (aggregateBytes > kTransactMaxBytes)
        return fail(Status::validation("The items of the TransactGetItems request total "
            + std::to_string(aggregateBytes) + " bytes, more than the maximum allowed size of 4 MB (4194304 bytes)"));
    return response;
}

CapacityUnits ConsumedCapacity::total() const
{
    CapacityUnits sum = table;
    for (const auto& [name, units] : globalSecondaryIndexes) {
        sum.read += units.read;
        sum.write += units.write;
    }
    for (const auto& [name, units] : localSecondaryIndexes) {
        sum.read += units.read;
        sum.write += units.write;
    }
    return sum;
}

void ConsumedCapacity::charge(std::int64_t partitionId, double read, double write)
{
    table.read += read;
    table.write += write;
    for (auto& p : partitions) {
        if (p.partitionId == partitionId) {
            p.read += read;
            p.write += write;
            return;
        }
    }
    partitions.push_back({ partitionId, read, write });
}

void ConsumedCapacity::chargeGlobalIndex(
    const std::string& indexName, std::int64_t indexPartitionId, double read, double write)
{
    auto& units = globalSecondaryIndexes[indexName];
    units.read += read;
    units.write += write;
    for (auto& p : indexPartitions) {
        if (p.indexName == indexName && p.partitionId == indexPartitionId) {
            p.read += read;
            p.write += write;
            return;
        }
    }
    indexPartitions.push_back({ indexName, indexPartitionId, read, write });
}

void ConsumedCapacity::chargeLocalIndex(
    const std::string& indexName, std::int64_t tablePartitionId, double read, double write)
{
    auto& units = localSecondaryIndexes[indexName];
    units.read += read;
    units.write += write;
    for (auto& p : partitions) {
        if (p.partitionId == tablePartitionId) {
            p.read += read;
            p.write += write;
            return;
        }
    }
    partitions.push_back({ tablePartitionId, read, write });
}

} // namespace capsim

#include "engine/index_entries.h"

#include "engine/engine_internal.h"
#include "engine/key_codec.h"

#include <algorithm>

namespace capsim::engine_internal {

bool hasKeyOfType(const Item& item, const KeyElement& element)
{
    auto it = item.find(element.name);
    return it != item.end() && it->second.type() == element.type;
}

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

std::optional<IndexEntry> indexEntryOf(const KeySchema& tableKey, const IndexState& index, const Item& item)
{
    if (!hasKeyOfType(item, index.key.partition) || (index.key.sort && !hasKeyOfType(item, *index.key.sort)))
        return std::nullopt;
    // A key value the index cannot hold (an empty string or binary, a partition key over 2,048
    // bytes, a sort key over 1,024) leaves the item out of the index: writes refuse such values,
    // but items written before a GSI was created are skipped by its backfill, as in DynamoDB.
    if (!validateKeyAttribute(index.key.partition, item.at(index.key.partition.name), true)
        || (index.key.sort && !validateKeyAttribute(*index.key.sort, item.at(index.key.sort->name), false)))
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

} // namespace capsim::engine_internal

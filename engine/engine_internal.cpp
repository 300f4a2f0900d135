#include "engine/engine_internal.h"

#include "engine/item_codec.h"

#include "engine/key_codec.h"

#include <algorithm>
#include <cctype>

namespace capsim::engine_internal {

bool validTableName(const std::string& name)
{
    if (name.size() < 3 || name.size() > 255)
        return false;
    return std::all_of(name.begin(), name.end(),
        [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; });
}

Status invalidTableName(const std::string& name)
{
    return Status::validation("1 validation error detected: Value '" + name
        + "' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
          "[a-zA-Z0-9_.-]+ and have length between 3 and 255");
}

Status tableNotFound(const std::string& name)
{
    // DynamoDB validates the name before looking the table up (issue 8).
    if (!validTableName(name))
        return invalidTableName(name);
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

Status readStoredItem(ItemStore& store, std::int64_t tableId, const StoredKey& key, bool wantImage, StoredItem& out)
{
    out = StoredItem {};
    std::string blob;
    CAPSIM_RETURN_IF_ERROR(store.get(tableId, key, out.existed, out.sizeBytes, wantImage ? &blob : nullptr));
    if (out.existed && wantImage) {
        auto decoded = decodeItem(blob);
        if (!decoded)
            return decoded.status();
        out.image = std::move(decoded).value();
    }
    return Status::ok();
}

Consistency consistencyOf(bool consistentRead)
{
    return consistentRead ? Consistency::Strong : Consistency::Eventual;
}

} // namespace capsim::engine_internal

#include "engine/wire/access_pairs.h"

#include "engine/expression/lexer.h"
#include "engine/number.h"
#include "engine/streams.h"
#include "engine/wire/fields.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <set>

namespace capsim {

std::string AccessPair::arn(const std::string& accountId, const std::string& requestRegion) const
{
    if (resource == "*" || verbatim)
        return resource;
    return "arn:aws:dynamodb:" + (region.empty() ? requestRegion : region) + ":" + accountId + ":" + resource;
}

namespace wire {

namespace {

constexpr const char* kLeadingKeys = "dynamodb:LeadingKeys";
constexpr const char* kAttributes = "dynamodb:Attributes";
constexpr const char* kSelect = "dynamodb:Select";
constexpr const char* kReturnValues = "dynamodb:ReturnValues";
constexpr const char* kReturnConsumedCapacity = "dynamodb:ReturnConsumedCapacity";
constexpr const char* kEnclosingOperation = "dynamodb:EnclosingOperation";

const json::object* object(const json::value* v)
{
    return v && v->is_object() ? &v->get_object() : nullptr;
}

const json::object* object(const json::object& o, std::string_view key)
{
    return object(o.if_contains(key));
}

std::optional<std::string> string(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    if (!v || !v->is_string())
        return std::nullopt;
    return std::string(v->get_string());
}

AccessPair tablePair(std::string_view action, const std::string& table, const std::string& index = {})
{
    AccessPair pair;
    pair.action = std::string(action);
    pair.resource = "table/" + table + (index.empty() ? "" : "/index/" + index);
    return pair;
}

AccessPair anyPair(std::string_view action)
{
    return AccessPair { std::string(action), "*", {}, false, {} };
}

// A resource named by its ARN: arn:aws:dynamodb:<region>:<account>:<resource>. The account is
// the authorizer's (capsim's own ARNs say 000000000000); anything else is kept as given.
AccessPair arnPair(std::string_view action, const std::optional<std::string>& arn)
{
    if (!arn)
        return anyPair(action);
    AccessPair pair;
    pair.action = std::string(action);
    std::array<std::size_t, 5> colons {};
    std::size_t at = 0;
    bool ok = true;
    for (auto& colon : colons) {
        colon = arn->find(':', at);
        if (colon == std::string::npos) {
            ok = false;
            break;
        }
        at = colon + 1;
    }
    if (ok && arn->starts_with("arn:") && arn->substr(colons[1] + 1, colons[2] - colons[1] - 1) == "dynamodb"
        && colons[3] > colons[2] + 1) {
        pair.region = arn->substr(colons[2] + 1, colons[3] - colons[2] - 1);
        pair.resource = arn->substr(colons[4] + 1);
    } else {
        pair.resource = *arn;
        pair.verbatim = true;
    }
    return pair;
}

// A key attribute's value as dynamodb:LeadingKeys compares it: S as is, N normalized, B in base64.
std::optional<std::string> keyText(const json::value& value)
{
    const json::object* o = object(&value);
    if (!o || o->size() != 1)
        return std::nullopt;
    const auto& [type, text] = *o->begin();
    if (!text.is_string())
        return std::nullopt;
    const std::string raw(text.get_string());
    if (type == "N") {
        auto number = Number::parse(raw);
        return number ? number->toString() : raw;
    }
    if (type == "S" || type == "B")
        return raw;
    return std::nullopt;
}

// The partition-key attribute of a table or one of its indexes, if the table exists.
std::optional<std::string> partitionKeyName(const Engine& engine, const std::string& table, const std::string& index)
{
    const TableState* state = engine.tableIncludingRestoring(table);
    if (!state)
        return std::nullopt;
    if (index.empty())
        return state->key.partition.name;
    for (const auto& i : state->indexes)
        if (i.name == index)
            return i.key.partition.name;
    return std::nullopt;
}

std::map<std::string, std::string> attributeNames(const json::object& o)
{
    std::map<std::string, std::string> names;
    if (const json::object* n = object(o, "ExpressionAttributeNames"))
        for (const auto& [placeholder, name] : *n)
            if (name.is_string())
                names.emplace(std::string(placeholder), std::string(name.get_string()));
    return names;
}

bool isKeyword(std::string_view word)
{
    static constexpr std::array<std::string_view, 9> kKeywords { "and", "or", "not", "between", "in", "set", "remove",
        "add", "delete" };
    std::string lower(word);
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return std::find(kKeywords.begin(), kKeywords.end(), lower) != kKeywords.end();
}

// What one request entry (a whole request, a batch table's entry or a transaction action)
// contributes to a pair's condition keys.
class KeyCollector {
public:
    KeyCollector(const Engine& engine, const json::object& entry, const std::string& table, const std::string& index)
        : m_names(attributeNames(entry))
        , m_partitionKey(partitionKeyName(engine, table, index))
    {
    }

    void key(const json::value* key)
    {
        const json::object* k = object(key);
        if (!k)
            return;
        for (const auto& [name, value] : *k)
            m_attributes.insert(std::string(name));
        if (m_partitionKey) {
            if (const json::value* v = k->if_contains(*m_partitionKey))
                leadingKey(*v);
        } else if (k->size() == 1) {
            // A table capsim does not know (the handler will say so): a one-attribute key is its partition key.
            leadingKey(k->begin()->value());
        }
    }

    void item(const json::value* item) { key(item); }

    // The top-level names of an object field (AttributeUpdates, Expected, QueryFilter...).
    void names(const json::value* field)
    {
        if (const json::object* o = object(field))
            for (const auto& [name, value] : *o)
                m_attributes.insert(std::string(name));
    }

    void attributesToGet(const json::value* field)
    {
        if (field && field->is_array())
            for (const auto& name : field->get_array())
                if (name.is_string())
                    m_attributes.insert(std::string(name.get_string()));
    }

    // The first element of every document path in an expression (names substituted).
    void expression(const json::object& entry, std::string_view field)
    {
        const auto text = string(entry, field);
        if (!text)
            return;
        const auto tokens = expr::tokenize(*text);
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const auto& t = tokens[i];
            const bool continues = i > 0 && tokens[i - 1].kind == expr::TokenKind::Punct && tokens[i - 1].text == ".";
            if (continues)
                continue;
            if (t.kind == expr::TokenKind::Identifier) {
                const bool function = i + 1 < tokens.size() && tokens[i + 1].text == "(";
                if (!function && !isKeyword(t.text))
                    m_attributes.insert(std::string(t.text));
            } else if (t.kind == expr::TokenKind::NamePlaceholder) {
                if (auto found = m_names.find(std::string(t.text)); found != m_names.end())
                    m_attributes.insert(found->second);
            }
        }
    }

    // Query's partition-key value: the equality on the partition key in KeyConditionExpression
    // (or the legacy KeyConditions' EQ).
    void keyCondition(const json::object& entry)
    {
        if (!m_partitionKey)
            return;
        if (const auto text = string(entry, "KeyConditionExpression")) {
            const json::object* values = object(entry, "ExpressionAttributeValues");
            const auto tokens = expr::tokenize(*text);
            auto isPartitionKey = [&](const expr::Token& t) {
                if (t.kind == expr::TokenKind::Identifier)
                    return t.text == *m_partitionKey;
                if (t.kind == expr::TokenKind::NamePlaceholder) {
                    auto found = m_names.find(std::string(t.text));
                    return found != m_names.end() && found->second == *m_partitionKey;
                }
                return false;
            };
            for (std::size_t i = 1; i + 1 < tokens.size(); ++i) {
                if (tokens[i].text != "=")
                    continue;
                const expr::Token* value = nullptr;
                if (isPartitionKey(tokens[i - 1]) && tokens[i + 1].kind == expr::TokenKind::ValuePlaceholder)
                    value = &tokens[i + 1];
                else if (isPartitionKey(tokens[i + 1]) && tokens[i - 1].kind == expr::TokenKind::ValuePlaceholder)
                    value = &tokens[i - 1];
                if (value && values)
                    if (const json::value* v = values->if_contains(value->text))
                        leadingKey(*v);
            }
        }
        if (const json::object* conditions = object(entry, "KeyConditions")) {
            names(entry.if_contains("KeyConditions"));
            if (const json::object* c = object(conditions->if_contains(*m_partitionKey)))
                if (const json::value* list = c->if_contains("AttributeValueList"); list && list->is_array())
                    for (const auto& v : list->get_array())
                        leadingKey(v);
        }
    }

    void into(AccessPair& pair) const
    {
        if (!m_leadingKeys.empty())
            pair.conditionKeys[kLeadingKeys].assign(m_leadingKeys.begin(), m_leadingKeys.end());
        if (!m_attributes.empty())
            pair.conditionKeys[kAttributes].assign(m_attributes.begin(), m_attributes.end());
    }

private:
    void leadingKey(const json::value& value)
    {
        if (auto text = keyText(value))
            m_leadingKeys.insert(std::move(*text));
    }

    std::map<std::string, std::string> m_names;
    std::optional<std::string> m_partitionKey;
    std::set<std::string> m_leadingKeys;
    std::set<std::string> m_attributes;
};

// dynamodb:Select of a read: Select, else SPECIFIC_ATTRIBUTES with a projection, else all
// attributes (of an index: ALL_PROJECTED_ATTRIBUTES; reference A12 marks it UNCONFIRMED).
std::string selectOf(const json::object& entry, bool onIndex)
{
    if (auto select = string(entry, "Select"))
        return *select;
    if (entry.contains("ProjectionExpression") || entry.contains("AttributesToGet"))
        return "SPECIFIC_ATTRIBUTES";
    return onIndex ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
}

// Everything an item-level entry (a whole request, or one transaction action) says about its
// attributes.
void collectItemFields(KeyCollector& keys, const json::object& entry)
{
    keys.key(entry.if_contains("Key"));
    keys.item(entry.if_contains("Item"));
    keys.attributesToGet(entry.if_contains("AttributesToGet"));
    keys.names(entry.if_contains("AttributeUpdates"));
    keys.names(entry.if_contains("Expected"));
    keys.names(entry.if_contains("QueryFilter"));
    keys.names(entry.if_contains("ScanFilter"));
    for (const char* field : { "ProjectionExpression", "ConditionExpression", "UpdateExpression", "FilterExpression",
             "KeyConditionExpression" })
        keys.expression(entry, field);
}

void returnConsumedCapacity(AccessPair& pair, const json::object& request)
{
    pair.conditionKeys[kReturnConsumedCapacity] = { string(request, "ReturnConsumedCapacity").value_or("NONE") };
}

std::vector<AccessPair> batchPairs(
    const Engine& engine, std::string_view action, const json::object& request, bool reads)
{
    std::vector<AccessPair> out;
    const json::object* items = object(request, "RequestItems");
    if (!items)
        return out;
    for (const auto& [tableName, entry] : *items) {
        const std::string table(tableName);
        AccessPair pair = tablePair(action, table);
        if (reads) {
            const json::object* e = object(&entry);
            static const json::object kEmpty;
            const json::object& read = e ? *e : kEmpty;
            KeyCollector keys(engine, read, table, {});
            if (const json::value* list = read.if_contains("Keys"); list && list->is_array())
                for (const auto& key : list->get_array())
                    keys.key(&key);
            keys.attributesToGet(read.if_contains("AttributesToGet"));
            keys.expression(read, "ProjectionExpression");
            keys.into(pair);
            pair.conditionKeys[kSelect] = { selectOf(read, false) };
        } else {
            KeyCollector keys(engine, json::object(), table, {});
            if (entry.is_array())
                for (const auto& write : entry.get_array()) {
                    const json::object* w = object(&write);
                    if (!w)
                        continue;
                    if (const json::object* put = object(*w, "PutRequest"))
                        keys.item(put->if_contains("Item"));
                    if (const json::object* del = object(*w, "DeleteRequest"))
                        keys.key(del->if_contains("Key"));
                }
            keys.into(pair);
        }
        returnConsumedCapacity(pair, request);
        out.push_back(std::move(pair));
    }
    return out;
}

std::vector<AccessPair> transactionPairs(const Engine& engine, const json::object& request, bool writes)
{
    // Transactions are authorized as their actions' item operations (reference A12, Part C 15).
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kActions { {
        { "Get", "dynamodb:GetItem" },
        { "Put", "dynamodb:PutItem" },
        { "Update", "dynamodb:UpdateItem" },
        { "Delete", "dynamodb:DeleteItem" },
        { "ConditionCheck", "dynamodb:ConditionCheckItem" },
    } };
    std::vector<AccessPair> out;
    const json::value* items = request.if_contains("TransactItems");
    if (!items || !items->is_array())
        return out;
    for (const auto& item : items->get_array()) {
        const json::object* o = object(&item);
        if (!o)
            continue;
        for (const auto& field : *o) {
            const std::string_view kind = field.key();
            const json::value& body = field.value();
            const auto found
                = std::find_if(kActions.begin(), kActions.end(), [&](const auto& a) { return a.first == kind; });
            const json::object* entry = object(&body);
            if (found == kActions.end() || !entry)
                continue;
            const std::string table = string(*entry, "TableName").value_or("");
            AccessPair pair = table.empty() ? anyPair(found->second) : tablePair(found->second, table);
            KeyCollector keys(engine, *entry, table, {});
            collectItemFields(keys, *entry);
            keys.into(pair);
            if (!writes)
                pair.conditionKeys[kSelect] = { selectOf(*entry, false) };
            pair.conditionKeys[kEnclosingOperation] = { writes ? "TransactWriteItems" : "TransactGetItems" };
            returnConsumedCapacity(pair, request);
            out.push_back(std::move(pair));
        }
    }
    return out;
}

bool isOneOf(std::string_view operation, std::initializer_list<std::string_view> names)
{
    return std::find(names.begin(), names.end(), operation) != names.end();
}

std::vector<AccessPair> pairsOf(
    const Engine& engine, std::string_view operation, std::string_view action, const json::object& request)
{
    if (isOneOf(operation,
            { "ListTables", "ListBackups", "ListStreams", "ListImports", "ListExports", "DescribeLimits",
                "DescribeEndpoints" }))
        return { anyPair(action) };
    if (isOneOf(operation, { "TagResource", "UntagResource", "ListTagsOfResource" }))
        return { arnPair(action, string(request, "ResourceArn")) };
    if (isOneOf(operation, { "DescribeStream", "GetShardIterator" }))
        return { arnPair(action, string(request, "StreamArn")) };
    if (operation == "GetRecords") {
        const auto iterator = string(request, "ShardIterator");
        return { arnPair(action, iterator ? streamArnOfShardIterator(*iterator) : std::nullopt) };
    }
    if (isOneOf(operation, { "DescribeBackup", "DeleteBackup", "RestoreTableFromBackup" }))
        return { arnPair(action, string(request, "BackupArn")) };
    if (operation == "DescribeExport")
        return { arnPair(action, string(request, "ExportArn")) };
    if (operation == "DescribeImport")
        return { arnPair(action, string(request, "ImportArn")) };
    if (operation == "ExportTableToPointInTime")
        return { arnPair(action, string(request, "TableArn")) };
    if (operation == "ImportTable") {
        const json::object* parameters = object(request, "TableCreationParameters");
        const auto table = parameters ? string(*parameters, "TableName") : std::nullopt;
        return { table ? tablePair(action, *table) : anyPair(action) };
    }
    if (operation == "RestoreTableToPointInTime") {
        if (request.contains("SourceTableArn"))
            return { arnPair(action, string(request, "SourceTableArn")) };
        const auto table = string(request, "SourceTableName");
        return { table ? tablePair(action, *table) : anyPair(action) };
    }
    if (operation == "BatchGetItem" || operation == "BatchWriteItem")
        return batchPairs(engine, action, request, operation == "BatchGetItem");
    if (operation == "TransactGetItems" || operation == "TransactWriteItems")
        return transactionPairs(engine, request, operation == "TransactWriteItems");

    const auto table = string(request, "TableName");
    if (!table)
        return {};
    const bool itemRead = isOneOf(operation, { "GetItem", "Query", "Scan" });
    const bool itemWrite = isOneOf(operation, { "PutItem", "UpdateItem", "DeleteItem" });
    const std::string index = itemRead ? string(request, "IndexName").value_or("") : "";
    AccessPair pair = tablePair(action, *table, index);
    if (itemRead || itemWrite) {
        KeyCollector keys(engine, request, *table, index);
        collectItemFields(keys, request);
        if (operation == "Query")
            keys.keyCondition(request);
        keys.into(pair);
        if (itemRead)
            pair.conditionKeys[kSelect] = { selectOf(request, !index.empty()) };
        else
            pair.conditionKeys[kReturnValues] = { string(request, "ReturnValues").value_or("NONE") };
        returnConsumedCapacity(pair, request);
    }
    return { std::move(pair) };
}

} // namespace

std::vector<AccessPair> accessPairs(
    const Engine& engine, std::string_view operation, std::string_view action, const json::value& request)
{
    std::vector<AccessPair> pairs;
    if (const json::object* o = object(&request))
        pairs = pairsOf(engine, operation, action, *o);
    if (pairs.empty())
        pairs.push_back(anyPair(action));
    return pairs;
}

WireResponse accessDeniedResponse(const Status& status)
{
    WireResponse r;
    r.httpStatus = 400;
    r.errorType = status.type();
    // Reference A12: the coral type and the capitalized Message key, as DynamoDB answers it.
    r.body
        = json::object { { "__type", "com.amazon.coral.service#" + status.type() }, { "Message", status.message() } };
    return r;
}

} // namespace wire
} // namespace capsim

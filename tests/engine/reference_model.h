#pragma once
// A deliberately naive DynamoDB for differential tests: items in a std::map, and a direct
// implementation of the expression shapes the random test generates (conditions, updates,
// projections) and of the metering rules of reference A2. It shares nothing with the engine but
// the value types (AttributeValue, Item) and itemSizeBytes. Header-only; single-threaded.

#include "engine/attribute_value.h"
#include "engine/item_size.h"

#include <algorithm>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace capsim::test {

// ---- numbers: the model keeps every number it generates as an integer count of tenths ----

// Parses plain decimal text ("12.5", "-0.5", "120") into tenths; throws when the value is not a
// whole number of tenths (the generator never makes such values).
inline std::int64_t tenthsFromText(const std::string& text)
{
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+'))
        negative = text[i++] == '-';
    std::int64_t whole = 0;
    std::int64_t fraction = 0;
    int fractionDigits = 0;
    bool seenPoint = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.') {
            seenPoint = true;
        } else if (c >= '0' && c <= '9') {
            if (!seenPoint) {
                whole = whole * 10 + (c - '0');
            } else {
                ++fractionDigits;
                if (fractionDigits > 1) {
                    if (c != '0')
                        throw std::runtime_error("number is not a whole number of tenths: " + text);
                } else {
                    fraction = c - '0';
                }
            }
        } else {
            throw std::runtime_error("unexpected number text: " + text);
        }
    }
    const std::int64_t tenths = whole * 10 + fraction;
    return negative ? -tenths : tenths;
}

inline std::int64_t tenthsOf(const AttributeValue& value)
{
    if (!value.is(AttrType::N))
        throw std::runtime_error("tenthsOf applied to a non-number");
    return tenthsFromText(value.asNumber().toString());
}

// "12.5", "-3", "0.5": the plain decimal text of a count of tenths.
inline std::string tenthsText(std::int64_t tenths)
{
    const bool negative = tenths < 0;
    const std::int64_t magnitude = negative ? -tenths : tenths;
    std::string text = (negative ? "-" : "") + std::to_string(magnitude / 10);
    if (magnitude % 10 != 0)
        text += "." + std::to_string(magnitude % 10);
    return text;
}

inline AttributeValue numberFromText(const std::string& text)
{
    auto parsed = Number::parse(text);
    if (!parsed)
        throw std::runtime_error("generator made an invalid number: " + text);
    return AttributeValue::number(parsed.value());
}

inline AttributeValue numberFromTenths(std::int64_t tenths)
{
    return numberFromText(tenthsText(tenths));
}

// ---- paths: a top-level attribute, or one member of a top-level map (m.a) ----

struct ModelPath {
    std::string top;
    std::string member; // empty for a top-level path

    bool isNested() const { return !member.empty(); }
    bool operator==(const ModelPath&) const = default;
};

inline const AttributeValue* resolve(const Item& item, const ModelPath& path)
{
    auto it = item.find(path.top);
    if (it == item.end())
        return nullptr;
    if (!path.isNested())
        return &it->second;
    if (!it->second.is(AttrType::M))
        return nullptr;
    auto member = it->second.asMap().find(path.member);
    return member == it->second.asMap().end() ? nullptr : &member->second;
}

// ProjectionExpression: the listed paths that resolve; a nested path keeps its map (reference:
// DynamoDB returns {m: {a: ...}} for "m.a"). Paths never overlap in generated requests.
inline Item project(const Item& item, const std::vector<ModelPath>& paths)
{
    Item out;
    for (const auto& path : paths) {
        const AttributeValue* value = resolve(item, path);
        if (!value)
            continue;
        if (!path.isNested()) {
            out[path.top] = *value;
            continue;
        }
        auto it = out.find(path.top);
        if (it == out.end())
            it = out.emplace(path.top, AttributeValue::map({})).first;
        it->second.mutableMap()[path.member] = *value;
    }
    return out;
}

// ---- conditions ----

// N numerically, S bytewise; empty when the types differ or are not ordered.
inline std::optional<int> compareOrdered(const AttributeValue& a, const AttributeValue& b)
{
    if (a.type() != b.type())
        return std::nullopt;
    if (a.is(AttrType::N)) {
        const std::int64_t x = tenthsOf(a);
        const std::int64_t y = tenthsOf(b);
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is(AttrType::S) || a.is(AttrType::B)) {
        const int c = a.bytes().compare(b.bytes());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return std::nullopt;
}

struct ModelCondition {
    enum class Kind { And, Or, Not, Exists, NotExists, Compare, Between, BeginsWith, Contains, In };
    enum class Op { Eq, Ne, Lt, Le, Gt, Ge };

    Kind kind = Kind::Exists;
    Op op = Op::Eq;
    ModelPath path;
    std::vector<AttributeValue> values; // Compare: 1, Between: 2, BeginsWith/Contains: 1, In: 1+
    std::vector<ModelCondition> children;

    // DynamoDB's semantics for conditions and filters: a missing attribute or a type mismatch
    // makes a comparison false, except <>, which is then true; an empty item is "no item".
    bool evaluate(const Item& item) const
    {
        switch (kind) {
        case Kind::And: return children[0].evaluate(item) && children[1].evaluate(item);
        case Kind::Or: return children[0].evaluate(item) || children[1].evaluate(item);
        case Kind::Not: return !children[0].evaluate(item);
        case Kind::Exists: return resolve(item, path) != nullptr;
        case Kind::NotExists: return resolve(item, path) == nullptr;
        case Kind::Compare: return compare(resolve(item, path), values[0], op);
        case Kind::Between: {
            const AttributeValue* v = resolve(item, path);
            return compare(v, values[0], Op::Ge) && compare(v, values[1], Op::Le);
        }
        case Kind::BeginsWith: {
            const AttributeValue* v = resolve(item, path);
            return v && v->is(AttrType::S) && values[0].is(AttrType::S)
                && v->bytes().substr(0, values[0].bytes().size()) == values[0].bytes()
                && v->bytes().size() >= values[0].bytes().size();
        }
        case Kind::Contains: {
            const AttributeValue* v = resolve(item, path);
            if (!v)
                return false;
            if (v->is(AttrType::S))
                return values[0].is(AttrType::S) && v->bytes().find(values[0].bytes()) != std::string::npos;
            if (v->is(AttrType::SS))
                return values[0].is(AttrType::S)
                    && std::find(v->byteSet().begin(), v->byteSet().end(), values[0].bytes()) != v->byteSet().end();
            if (v->is(AttrType::L))
                return std::any_of(v->asList().begin(), v->asList().end(),
                    [&](const AttributeValue& element) { return element == values[0]; });
            return false;
        }
        case Kind::In: {
            const AttributeValue* v = resolve(item, path);
            return v && std::any_of(values.begin(), values.end(), [&](const AttributeValue& c) { return c == *v; });
        }
        }
        return false;
    }

    static bool compare(const AttributeValue* value, const AttributeValue& operand, Op op)
    {
        if (op == Op::Ne)
            return !value || !(*value == operand);
        if (!value)
            return false;
        if (op == Op::Eq)
            return *value == operand;
        auto order = compareOrdered(*value, operand);
        if (!order)
            return false;
        switch (op) {
        case Op::Lt: return *order < 0;
        case Op::Le: return *order <= 0;
        case Op::Gt: return *order > 0;
        case Op::Ge: return *order >= 0;
        default: return false;
        }
    }
};

// ---- updates ----

struct ModelUpdateAction {
    enum class Kind {
        Set, // SET p = :v
        SetPlus, // SET p = p + :v
        SetMinus, // SET p = p - :v
        SetIfNotExists, // SET p = if_not_exists(p, :v)
        SetIfNotExistsPlus, // SET p = if_not_exists(p, :fallback) + :v
        ListAppend, // SET p = list_append(p, :v)
        Remove, // REMOVE p
        Add, // ADD p :v (number or set)
        Delete, // DELETE p :v (set)
    };
    Kind kind = Kind::Set;
    ModelPath path;
    AttributeValue value;
    AttributeValue fallback;
};

inline void setPath(Item& item, const ModelPath& path, AttributeValue value)
{
    if (!path.isNested()) {
        item[path.top] = std::move(value);
        return;
    }
    item.at(path.top).mutableMap()[path.member] = std::move(value);
}

inline void removePath(Item& item, const ModelPath& path)
{
    if (!path.isNested()) {
        item.erase(path.top);
        return;
    }
    auto it = item.find(path.top);
    if (it != item.end() && it->second.is(AttrType::M))
        it->second.mutableMap().erase(path.member);
}

// Applies the actions in order. All operands are read from the item as it was before the update
// (the generator never targets one path twice, so reading as-we-go would give the same result).
// Throws on a shape the generator must not produce (p + :v with p missing, and so on).
inline Item applyUpdate(const Item& before, const std::vector<ModelUpdateAction>& actions)
{
    Item after = before;
    for (const auto& action : actions) {
        const AttributeValue* current = resolve(before, action.path);
        using Kind = ModelUpdateAction::Kind;
        switch (action.kind) {
        case Kind::Set: setPath(after, action.path, action.value); break;
        case Kind::SetPlus:
        case Kind::SetMinus: {
            if (!current || !current->is(AttrType::N))
                throw std::runtime_error("generator made arithmetic on a missing number");
            const std::int64_t delta = tenthsOf(action.value);
            setPath(after, action.path,
                numberFromTenths(tenthsOf(*current) + (action.kind == Kind::SetPlus ? delta : -delta)));
            break;
        }
        case Kind::SetIfNotExists: setPath(after, action.path, current ? *current : action.value); break;
        case Kind::SetIfNotExistsPlus: {
            const std::int64_t base = tenthsOf(current ? *current : action.fallback);
            setPath(after, action.path, numberFromTenths(base + tenthsOf(action.value)));
            break;
        }
        case Kind::ListAppend: {
            if (!current || !current->is(AttrType::L))
                throw std::runtime_error("generator made list_append on a missing list");
            AttributeList list = current->asList();
            list.insert(list.end(), action.value.asList().begin(), action.value.asList().end());
            setPath(after, action.path, AttributeValue::list(std::move(list)));
            break;
        }
        case Kind::Remove: removePath(after, action.path); break;
        case Kind::Add: {
            if (action.value.is(AttrType::N)) {
                const std::int64_t base = current ? tenthsOf(*current) : 0;
                setPath(after, action.path, numberFromTenths(base + tenthsOf(action.value)));
            } else {
                std::vector<std::string> elements = action.value.byteSet();
                if (current)
                    elements.insert(elements.end(), current->byteSet().begin(), current->byteSet().end());
                setPath(after, action.path, AttributeValue::stringSet(std::move(elements)));
            }
            break;
        }
        case Kind::Delete: {
            if (!current)
                break;
            std::vector<std::string> kept;
            for (const auto& element : current->byteSet()) {
                if (std::find(action.value.byteSet().begin(), action.value.byteSet().end(), element)
                    == action.value.byteSet().end())
                    kept.push_back(element);
            }
            // A set that loses its last element disappears: DynamoDB has no empty sets (reference A1).
            if (kept.empty())
                removePath(after, action.path);
            else
                setPath(after, action.path, AttributeValue::stringSet(std::move(kept)));
            break;
        }
        }
    }
    return after;
}

// ---- metering (reference A2) ----

// Read units for `sizeBytes` read as one unit of rounding; 0 bytes (a missing item, an empty
// page) counts as 1 byte.
inline double modelReadUnits(std::int64_t sizeBytes, bool strong)
{
    const std::int64_t units = std::max<std::int64_t>(1, (sizeBytes + 4095) / 4096);
    return strong ? static_cast<double>(units) : 0.5 * static_cast<double>(units);
}

inline double modelWriteUnits(std::int64_t sizeBytes)
{
    return static_cast<double>(std::max<std::int64_t>(1, (sizeBytes + 1023) / 1024));
}

// Transactions (reference A2, C 2.4): every item is read or written twice (prepare + commit), so
// a transactional write costs 2x its write units (Put/Update the larger of old and new,
// Delete/ConditionCheck the existing item, 1 if missing) and a transactional read 2x a strong
// read; index upkeep stays 1x. A cancelled transaction is charged its prepare step only: each
// action 1x the existing item's write units, minimum 1, and no index upkeep.
inline double modelTransactWriteUnits(std::int64_t billedBytes)
{
    return 2.0 * modelWriteUnits(billedBytes);
}
inline double modelCancelledTransactUnits(std::int64_t existingBytes)
{
    return modelWriteUnits(existingBytes);
}
inline double modelTransactReadUnits(std::int64_t sizeBytes)
{
    return 2.0 * modelReadUnits(sizeBytes, true);
}

// ---- tables ----

// The model's key: (partition key text, sort key text, number), where the number is the sort key
// in tenths for an N sort key and the partition key in tenths for an N partition key. std::map
// order is then Query order within one partition key: N numerically, S bytewise.
struct ModelKey {
    std::string partitionText;
    std::string sortText;
    std::int64_t tenths = 0;

    auto operator<=>(const ModelKey&) const = default;
    bool samePartition(const ModelKey& other, bool hasSortKey) const
    {
        return hasSortKey ? partitionText == other.partitionText : *this == other;
    }
};

struct ModelTable {
    std::string name;
    std::string partitionKeyName;
    AttrType partitionKeyType = AttrType::S;
    std::optional<std::string> sortKeyName;
    AttrType sortKeyType = AttrType::N;
    std::map<ModelKey, Item> items;

    ModelKey keyOf(const Item& item) const
    {
        ModelKey key;
        const AttributeValue& pk = item.at(partitionKeyName);
        if (partitionKeyType == AttrType::N)
            key.tenths = tenthsOf(pk);
        else
            key.partitionText = pk.bytes();
        if (sortKeyName) {
            const AttributeValue& sk = item.at(*sortKeyName);
            if (sortKeyType == AttrType::N)
                key.tenths = tenthsOf(sk);
            else
                key.sortText = sk.bytes();
        }
        return key;
    }

    Item keyItem(const Item& item) const
    {
        Item key;
        key.emplace(partitionKeyName, item.at(partitionKeyName));
        if (sortKeyName)
            key.emplace(*sortKeyName, item.at(*sortKeyName));
        return key;
    }

    const Item* find(const ModelKey& key) const
    {
        auto it = items.find(key);
        return it == items.end() ? nullptr : &it->second;
    }

    std::int64_t totalBytes() const
    {
        std::int64_t sum = 0;
        for (const auto& [key, item] : items)
            sum += itemSizeBytes(item);
        return sum;
    }
};

// ---- secondary indexes (reference A1-A2, C 2.2, C 2.5) ----

enum class ModelProjection { All, KeysOnly, Include };

// A GSI or LSI of a ModelTable. An item has an entry when it carries every index key attribute
// with the index's type (a sparse index otherwise); the entry holds the table key, the index key
// and the projected attributes. No index here has both an N partition key and an N sort key, so
// a ModelKey (one tenths slot) keys the index like a table.
struct ModelIndex {
    std::string name;
    bool global = false;
    std::string partitionKeyName;
    AttrType partitionKeyType = AttrType::S;
    std::string sortKeyName;
    AttrType sortKeyType = AttrType::N;
    ModelProjection projection = ModelProjection::All;
    std::vector<std::string> included; // Include only

    bool isKeyAttribute(const ModelTable& table, const std::string& attribute) const
    {
        return attribute == table.partitionKeyName || (table.sortKeyName && attribute == *table.sortKeyName)
            || attribute == partitionKeyName || attribute == sortKeyName;
    }
    bool projects(const ModelTable& table, const std::string& attribute) const
    {
        if (projection == ModelProjection::All || isKeyAttribute(table, attribute))
            return true;
        return projection == ModelProjection::Include
            && std::find(included.begin(), included.end(), attribute) != included.end();
    }
    bool hasEntry(const Item& item) const
    {
        auto pk = item.find(partitionKeyName);
        auto sk = item.find(sortKeyName);
        return pk != item.end() && pk->second.is(partitionKeyType) && sk != item.end() && sk->second.is(sortKeyType);
    }
    // Index key attributes an item carries must have the index's types, and S or B ones must
    // not be empty: DynamoDB rejects the write (ValidationException) rather than leave the item
    // out of the index. Absent ones are fine (sparse index).
    bool acceptsKeys(const Item& item) const
    {
        for (const auto& [attribute, type] :
            { std::pair(partitionKeyName, partitionKeyType), std::pair(sortKeyName, sortKeyType) }) {
            auto it = item.find(attribute);
            if (it == item.end())
                continue;
            if (!it->second.is(type))
                return false;
            if ((type == AttrType::S || type == AttrType::B) && it->second.bytes().empty())
                return false;
        }
        return true;
    }
    // The projected item an index read returns (ALL_PROJECTED_ATTRIBUTES).
    std::optional<Item> entryOf(const ModelTable& table, const Item& item) const
    {
        if (!hasEntry(item))
            return std::nullopt;
        Item entry;
        for (const auto& [attribute, value] : item) {
            if (projects(table, attribute))
                entry.emplace(attribute, value);
        }
        return entry;
    }
    // Entry size, spelled as reference A1 states it: the base table's key bytes + the index key
    // bytes + the projected attribute bytes, each attribute counted once (an LSI shares its
    // partition key with the table).
    std::int64_t entrySize(const ModelTable& table, const Item& entry) const
    {
        std::vector<std::string> counted;
        std::int64_t size = 0;
        auto add = [&](const std::string& attribute) {
            if (std::find(counted.begin(), counted.end(), attribute) != counted.end())
                return;
            counted.push_back(attribute);
            auto it = entry.find(attribute);
            if (it != entry.end())
                size += std::int64_t(attribute.size()) + valueSizeBytes(it->second);
        };
        add(table.partitionKeyName);
        if (table.sortKeyName)
            add(*table.sortKeyName);
        add(partitionKeyName);
        add(sortKeyName);
        for (const auto& [attribute, value] : entry)
            add(attribute);
        return size;
    }
    // Index order: index partition key, index sort key, then the table key.
    std::pair<ModelKey, ModelKey> keyOf(const ModelTable& table, const Item& item) const
    {
        ModelKey key;
        const AttributeValue& pk = item.at(partitionKeyName);
        if (partitionKeyType == AttrType::N)
            key.tenths = tenthsOf(pk);
        else
            key.partitionText = pk.bytes();
        const AttributeValue& sk = item.at(sortKeyName);
        if (sortKeyType == AttrType::N)
            key.tenths = tenthsOf(sk);
        else
            key.sortText = sk.bytes();
        return { key, table.keyOf(item) };
    }
    // LastEvaluatedKey of an index page: the table key and the index key.
    Item pageKey(const ModelTable& table, const Item& entry) const
    {
        Item key = table.keyItem(entry);
        key.emplace(partitionKeyName, entry.at(partitionKeyName));
        key.emplace(sortKeyName, entry.at(sortKeyName));
        return key;
    }
    // Every entry the table implies, in index order.
    std::map<std::pair<ModelKey, ModelKey>, Item> entries(const ModelTable& table) const
    {
        std::map<std::pair<ModelKey, ModelKey>, Item> out;
        for (const auto& [key, item] : table.items) {
            if (auto entry = entryOf(table, item))
                out.emplace(keyOf(table, item), std::move(*entry));
        }
        return out;
    }
    // Write units of one base-table write on this index (reference A2, C 2.5): no entry before
    // or after 0; a new entry 1 write, a removed one 1, a changed index key 2 (delete the old
    // entry + put the new), each sized by its entry rounded to 1 KB; the same key with different
    // projected attributes 1 write over the existing entry, sized like a put over an existing
    // item by the larger of old and new entry; identical projected attributes 0 (so KEYS_ONLY
    // never pays for non-key changes, INCLUDE only for included ones, ALL for any change).
    double writeUnits(const ModelTable& table, const Item* before, const Item* after) const
    {
        const auto oldEntry = before ? entryOf(table, *before) : std::nullopt;
        const auto newEntry = after ? entryOf(table, *after) : std::nullopt;
        if (oldEntry && newEntry && keyOf(table, *before) == keyOf(table, *after)) {
            if (*oldEntry == *newEntry)
                return 0.0;
            return modelWriteUnits(std::max(entrySize(table, *oldEntry), entrySize(table, *newEntry)));
        }
        double units = 0.0;
        if (oldEntry)
            units += modelWriteUnits(entrySize(table, *oldEntry));
        if (newEntry)
            units += modelWriteUnits(entrySize(table, *newEntry));
        return units;
    }
    // Entry writes one base-table write makes on this index's storage: the same entry 0, an
    // entry rewritten under the same key 1, otherwise a delete of the old entry and a put of the
    // new one, whichever exist (the write count the units above are charged for).
    int storageWrites(const ModelTable& table, const Item* before, const Item* after) const
    {
        const auto oldEntry = before ? entryOf(table, *before) : std::nullopt;
        const auto newEntry = after ? entryOf(table, *after) : std::nullopt;
        if (oldEntry && newEntry && keyOf(table, *before) == keyOf(table, *after))
            return *oldEntry == *newEntry ? 0 : 1;
        return (oldEntry ? 1 : 0) + (newEntry ? 1 : 0);
    }
};

} // namespace capsim::test

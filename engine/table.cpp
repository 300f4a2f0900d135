#include "engine/table.h"

#include "engine/item_size.h"

#include <boost/json.hpp>

#include <algorithm>

namespace capsim {

namespace json = boost::json;

const char* billingModeName(BillingMode mode)
{
    return mode == BillingMode::Provisioned ? "PROVISIONED" : "PAY_PER_REQUEST";
}

const char* tableClassName(TableClass tableClass)
{
    return tableClass == TableClass::Standard ? "STANDARD" : "STANDARD_INFREQUENT_ACCESS";
}

bool parseBillingMode(std::string_view text, BillingMode& out)
{
    if (text == "PROVISIONED")
        out = BillingMode::Provisioned;
    else if (text == "PAY_PER_REQUEST")
        out = BillingMode::PayPerRequest;
    else
        return false;
    return true;
}

bool parseTableClass(std::string_view text, TableClass& out)
{
    if (text == "STANDARD")
        out = TableClass::Standard;
    else if (text == "STANDARD_INFREQUENT_ACCESS")
        out = TableClass::StandardInfrequentAccess;
    else
        return false;
    return true;
}

std::int64_t Partition::billableBytes() const
{
    return itemBytes + itemCount * kStorageOverheadBytes;
}

std::int64_t TableState::itemCount() const
{
    std::int64_t n = 0;
    for (const auto& p : partitions)
        n += p.itemCount;
    return n;
}

std::int64_t TableState::itemBytes() const
{
    std::int64_t n = 0;
    for (const auto& p : partitions)
        n += p.itemBytes;
    return n;
}

std::int64_t TableState::billableBytes() const
{
    std::int64_t n = 0;
    for (const auto& p : partitions)
        n += p.billableBytes();
    return n;
}

std::size_t TableState::partitionIndex(std::uint64_t hash) const
{
    auto it = std::upper_bound(partitions.begin(), partitions.end(), hash,
        [](std::uint64_t h, const Partition& p) { return h < p.hashLow; });
    return static_cast<std::size_t>(it - partitions.begin()) - 1;
}

std::size_t TableState::splitPartition(std::size_t index)
{
    Partition parent = partitions[index];
    Partition lower = parent;
    Partition upper = parent;
    const std::uint64_t mid = parent.hashLow + (parent.hashHigh - parent.hashLow) / 2;
    lower.id = nextPartitionId++;
    lower.hashHigh = mid;
    upper.id = nextPartitionId++;
    upper.hashLow = mid + 1;
    // Counts are estimates until the caller recounts from storage.
    lower.itemCount = parent.itemCount / 2;
    lower.itemBytes = parent.itemBytes / 2;
    upper.itemCount = parent.itemCount - lower.itemCount;
    upper.itemBytes = parent.itemBytes - lower.itemBytes;
    partitions[index] = lower;
    partitions.insert(partitions.begin() + static_cast<std::ptrdiff_t>(index) + 1, upper);
    return index + 1;
}

void TableState::splitToAtLeast(std::size_t count)
{
    while (partitions.size() < count) {
        for (std::size_t i = partitions.size(); i-- > 0;)
            splitPartition(i);
    }
}

std::size_t throughputPartitions(std::int64_t readUnits, std::int64_t writeUnits)
{
    // ceil(R/3000 + W/1000) computed exactly in integers: ceil((R + 3W) / 3000).
    const std::int64_t n = (readUnits + 3 * writeUnits + 2999) / 3000;
    return static_cast<std::size_t>(std::max<std::int64_t>(1, n));
}

std::size_t onDemandPartitions(std::int64_t peakRead, std::int64_t peakWrite)
{
    const std::int64_t byRead = (2 * peakRead + kPartitionReadUnits - 1) / kPartitionReadUnits;
    const std::int64_t byWrite = (2 * peakWrite + kPartitionWriteUnits - 1) / kPartitionWriteUnits;
    return static_cast<std::size_t>(std::max<std::int64_t>({ 4, byRead, byWrite }));
}

namespace {

json::array timesToJson(const std::vector<EngineTime>& times)
{
    json::array out;
    for (auto t : times)
        out.push_back(t);
    return out;
}

std::vector<EngineTime> timesFromJson(const json::value* v)
{
    std::vector<EngineTime> out;
    if (v && v->is_array())
        for (const auto& t : v->get_array())
            out.push_back(t.to_number<std::int64_t>());
    return out;
}

json::object keyElementToJson(const KeyElement& k)
{
    return { { "name", k.name }, { "type", attrTypeName(k.type) } };
}

bool keyElementFromJson(const json::value& v, KeyElement& out)
{
    if (!v.is_object())
        return false;
    const auto& o = v.get_object();
    const auto* name = o.if_contains("name");
    const auto* type = o.if_contains("type");
    if (!name || !type || !name->is_string() || !type->is_string())
        return false;
    out.name = std::string(name->get_string());
    return parseAttrTypeName(type->get_string(), out.type);
}

} // namespace

json::value TableState::toJson() const
{
    json::object o;
    o["id"] = id;
    o["name"] = name;
    o["partitionKey"] = keyElementToJson(key.partition);
    if (key.sort)
        o["sortKey"] = keyElementToJson(*key.sort);
    o["billingMode"] = billingModeName(billingMode);
    o["tableClass"] = tableClassName(tableClass);
    o["readCapacity"] = readCapacity;
    o["writeCapacity"] = writeCapacity;
    o["peakRead"] = peakRead;
    o["peakWrite"] = peakWrite;
    o["createdAt"] = createdAt;
    o["lastIncreaseAt"] = lastIncreaseAt;
    o["lastDecreaseAt"] = lastDecreaseAt;
    o["decreaseTokens"] = decreaseTokens;
    o["decreaseTokensAt"] = decreaseTokensAt;
    o["decreasesToday"] = decreasesToday;
    o["payPerRequestSwitches"] = timesToJson(payPerRequestSwitches);
    o["tableClassChanges"] = timesToJson(tableClassChanges);
    o["nextPartitionId"] = nextPartitionId;
    json::array parts;
    for (const auto& p : partitions) {
        // Hashes as strings: JSON readers often lose 64-bit integer precision.
        parts.push_back(json::object { { "id", p.id }, { "hashLow", std::to_string(p.hashLow) },
            { "hashHigh", std::to_string(p.hashHigh) } });
    }
    o["partitions"] = std::move(parts);
    return o;
}

Result<TableState> TableState::fromJson(const json::value& v)
{
    auto corrupt = [] { return Status::internal("stored table description is corrupt"); };
    if (!v.is_object())
        return corrupt();
    const auto& o = v.get_object();
    TableState t;
    try {
        t.id = o.at("id").to_number<std::int64_t>();
        t.name = std::string(o.at("name").as_string());
        if (!keyElementFromJson(o.at("partitionKey"), t.key.partition))
            return corrupt();
        if (const auto* sk = o.if_contains("sortKey")) {
            KeyElement k;
            if (!keyElementFromJson(*sk, k))
                return corrupt();
            t.key.sort = k;
        }
        if (!parseBillingMode(o.at("billingMode").as_string(), t.billingMode)
            || !parseTableClass(o.at("tableClass").as_string(), t.tableClass))
            return corrupt();
        t.readCapacity = o.at("readCapacity").to_number<std::int64_t>();
        t.writeCapacity = o.at("writeCapacity").to_number<std::int64_t>();
        t.peakRead = o.at("peakRead").to_number<std::int64_t>();
        t.peakWrite = o.at("peakWrite").to_number<std::int64_t>();
        t.createdAt = o.at("createdAt").to_number<std::int64_t>();
        t.lastIncreaseAt = o.at("lastIncreaseAt").to_number<std::int64_t>();
        t.lastDecreaseAt = o.at("lastDecreaseAt").to_number<std::int64_t>();
        t.decreaseTokens = o.at("decreaseTokens").to_number<double>();
        t.decreaseTokensAt = o.at("decreaseTokensAt").to_number<std::int64_t>();
        t.decreasesToday = o.at("decreasesToday").to_number<int>();
        t.payPerRequestSwitches = timesFromJson(o.if_contains("payPerRequestSwitches"));
        t.tableClassChanges = timesFromJson(o.if_contains("tableClassChanges"));
        t.nextPartitionId = o.at("nextPartitionId").to_number<std::int64_t>();
        for (const auto& pv : o.at("partitions").as_array()) {
            const auto& po = pv.as_object();
            Partition p;
            p.id = po.at("id").to_number<std::int64_t>();
            p.hashLow = std::stoull(std::string(po.at("hashLow").as_string()));
            p.hashHigh = std::stoull(std::string(po.at("hashHigh").as_string()));
            t.partitions.push_back(p);
        }
    } catch (const std::exception&) {
        return corrupt();
    }
    if (t.partitions.empty() || t.partitions.front().hashLow != 0 || t.partitions.back().hashHigh != UINT64_MAX)
        return corrupt();
    return t;
}

} // namespace capsim

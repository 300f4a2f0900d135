#include "engine/table.h"

#include "engine/item_size.h"
#include "engine/replication.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

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
    // A replica of a global table stores 148 bytes per item instead of 100 (reference A1, A11).
    if (isGlobal())
        n += (kGlobalTableStorageOverheadBytes - kStorageOverheadBytes) * itemCount();
    return n;
}

std::size_t partitionIndexIn(const std::vector<Partition>& partitions, std::uint64_t hash)
{
    auto it = std::upper_bound(partitions.begin(), partitions.end(), hash,
        [](std::uint64_t h, const Partition& p) { return h < p.hashLow; });
    return static_cast<std::size_t>(it - partitions.begin()) - 1;
}

std::size_t splitPartitionIn(std::vector<Partition>& partitions, std::int64_t& nextPartitionId, std::size_t index)
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

std::uint64_t evenHashBoundary(std::uint64_t i, std::uint64_t count)
{
    __extension__ using Uint128 = unsigned __int128;
    const Uint128 space = static_cast<Uint128>(1) << 64;
    return static_cast<std::uint64_t>(space * static_cast<Uint128>(i) / static_cast<Uint128>(count));
}

std::vector<Partition> evenPartitions(std::size_t count, std::int64_t& nextPartitionId)
{
    std::vector<Partition> out;
    for (std::size_t i = 0; i < count; ++i) {
        Partition p;
        p.id = nextPartitionId++;
        p.hashLow = evenHashBoundary(i, count);
        p.hashHigh = i + 1 == count ? UINT64_MAX : evenHashBoundary(i + 1, count) - 1;
        out.push_back(p);
    }
    return out;
}

std::size_t TableState::partitionIndex(std::uint64_t hash) const
{
    return partitionIndexIn(partitions, hash);
}

std::size_t TableState::splitPartition(std::size_t index)
{
    return splitPartitionIn(partitions, nextPartitionId, index);
}

void TableState::splitToAtLeast(std::size_t count)
{
    while (partitions.size() < count) {
        for (std::size_t i = partitions.size(); i-- > 0;)
            splitPartition(i);
    }
}

std::string TableState::tableUuid() const
{
    // FNV-1a over the identity, then two SplitMix64 rounds for 128 well-mixed bits.
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](std::string_view bytes) {
        for (char c : bytes) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ULL;
        }
        h ^= 0xff;
        h *= 1099511628211ULL;
    };
    mix(std::to_string(id));
    mix(name);
    mix(std::to_string(createdAt));
    auto splitMix = [](std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    };
    std::uint64_t state = h;
    std::uint64_t high = splitMix(state);
    std::uint64_t low = splitMix(state);
    high = (high & ~0xF000ULL) | 0x4000ULL; // version 4
    low = (low & ~(0xC000ULL << 48)) | (0x8000ULL << 48); // variant 10xx
    char text[37];
    std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
        static_cast<unsigned long long>(high >> 32), static_cast<unsigned long long>((high >> 16) & 0xFFFF),
        static_cast<unsigned long long>(high & 0xFFFF), static_cast<unsigned long long>(low >> 48),
        static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
    return text;
}

const IndexState* TableState::findIndex(const std::string& indexName) const
{
    for (const auto& index : indexes)
        if (index.name == indexName)
            return &index;
    return nullptr;
}

IndexState* TableState::findIndex(const std::string& indexName)
{
    for (auto& index : indexes)
        if (index.name == indexName)
            return &index;
    return nullptr;
}

bool TableState::hasLocalIndexes() const
{
    return std::any_of(indexes.begin(), indexes.end(), [](const IndexState& i) { return !i.isGlobal(); });
}

std::int64_t IndexState::itemCount() const
{
    std::int64_t n = 0;
    for (const auto& p : partitions)
        n += p.itemCount;
    return n;
}

std::int64_t IndexState::itemBytes() const
{
    std::int64_t n = 0;
    for (const auto& p : partitions)
        n += p.itemBytes;
    return n;
}

std::int64_t IndexState::billableBytes() const
{
    std::int64_t n = 0;
    for (const auto& p : partitions)
        n += p.billableBytes();
    return n;
}

const char* projectionTypeName(ProjectionType type)
{
    switch (type) {
    case ProjectionType::All: return "ALL";
    case ProjectionType::KeysOnly: return "KEYS_ONLY";
    case ProjectionType::Include: return "INCLUDE";
    }
    return "ALL";
}

bool parseProjectionType(std::string_view text, ProjectionType& out)
{
    if (text == "ALL")
        out = ProjectionType::All;
    else if (text == "KEYS_ONLY")
        out = ProjectionType::KeysOnly;
    else if (text == "INCLUDE")
        out = ProjectionType::Include;
    else
        return false;
    return true;
}

const char* indexStatusName(IndexStatus status)
{
    return status == IndexStatus::Creating ? "CREATING" : "ACTIVE";
}

std::size_t throughputPartitions(std::int64_t readUnits, std::int64_t writeUnits)
{
    // ceil(R/3000 + W/1000) computed exactly in integers: ceil((R + 3W) / 3000).
    const std::int64_t n = (readUnits + 3 * writeUnits + 2999) / 3000;
    return static_cast<std::size_t>(std::max<std::int64_t>(1, n));
}

std::size_t onDemandPartitions(
    std::int64_t peakRead, std::int64_t peakWrite, double partitionReadUnits, double partitionWriteUnits)
{
    // The ceiling is twice the previous peak, never above the table quota (reference A3, C 5).
    const auto ceiling = [](std::int64_t peak) {
        return static_cast<double>(std::min<std::int64_t>(2 * peak, kTableQuotaUnits));
    };
    const auto byRead = static_cast<std::int64_t>(std::ceil(ceiling(peakRead) / partitionReadUnits));
    const auto byWrite = static_cast<std::int64_t>(std::ceil(ceiling(peakWrite) / partitionWriteUnits));
    return static_cast<std::size_t>(std::max<std::int64_t>({ 4, byRead, byWrite }));
}

bool TableState::growEvenlyTo(std::size_t count)
{
    if (partitions.size() >= count)
        return false;
    partitions = evenPartitions(count, nextPartitionId);
    return true;
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

json::array partitionsToJson(const std::vector<Partition>& partitions)
{
    json::array parts;
    for (const auto& p : partitions) {
        // Hashes as strings: JSON readers often lose 64-bit integer precision.
        parts.push_back(json::object { { "id", p.id }, { "hashLow", std::to_string(p.hashLow) },
            { "hashHigh", std::to_string(p.hashHigh) } });
    }
    return parts;
}

std::vector<Partition> partitionsFromJson(const json::value& v)
{
    std::vector<Partition> out;
    for (const auto& pv : v.as_array()) {
        const auto& po = pv.as_object();
        Partition p;
        p.id = po.at("id").to_number<std::int64_t>();
        p.hashLow = std::stoull(std::string(po.at("hashLow").as_string()));
        p.hashHigh = std::stoull(std::string(po.at("hashHigh").as_string()));
        out.push_back(p);
    }
    return out;
}

bool coversHashSpace(const std::vector<Partition>& partitions)
{
    return !partitions.empty() && partitions.front().hashLow == 0 && partitions.back().hashHigh == UINT64_MAX;
}

// Encoded keys are bytes; JSON strings must be text, so they are stored as hex.
std::string toHex(std::string_view bytes)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

std::string fromHex(std::string_view hex)
{
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
    return out;
}

json::object indexToJson(const IndexState& index)
{
    json::object o;
    o["id"] = index.id;
    o["name"] = index.name;
    o["kind"] = index.isGlobal() ? "GLOBAL" : "LOCAL";
    o["partitionKey"] = keyElementToJson(index.key.partition);
    if (index.key.sort)
        o["sortKey"] = keyElementToJson(*index.key.sort);
    o["projection"] = projectionTypeName(index.projection);
    json::array nonKey;
    for (const auto& name : index.nonKeyAttributes)
        nonKey.push_back(json::value(name));
    o["nonKeyAttributes"] = std::move(nonKey);
    o["readCapacity"] = index.readCapacity;
    o["writeCapacity"] = index.writeCapacity;
    o["status"] = indexStatusName(index.status);
    o["backfillStarted"] = index.backfillStarted;
    o["backfillHash"] = std::to_string(index.backfillHash);
    o["backfillPartitionKey"] = toHex(index.backfillPartitionKey);
    o["backfillSortKey"] = toHex(index.backfillSortKey);
    o["backfilledItems"] = index.backfilledItems;
    o["nextPartitionId"] = index.nextPartitionId;
    o["partitions"] = partitionsToJson(index.partitions);
    return o;
}

bool indexFromJson(const json::value& v, IndexState& index)
{
    const auto& o = v.as_object();
    index.id = o.at("id").to_number<std::int64_t>();
    index.name = std::string(o.at("name").as_string());
    index.kind = o.at("kind").as_string() == "LOCAL" ? IndexKind::Local : IndexKind::Global;
    if (!keyElementFromJson(o.at("partitionKey"), index.key.partition))
        return false;
    if (const auto* sk = o.if_contains("sortKey")) {
        KeyElement k;
        if (!keyElementFromJson(*sk, k))
            return false;
        index.key.sort = k;
    }
    if (!parseProjectionType(o.at("projection").as_string(), index.projection))
        return false;
    for (const auto& name : o.at("nonKeyAttributes").as_array())
        index.nonKeyAttributes.emplace_back(name.as_string());
    index.readCapacity = o.at("readCapacity").to_number<std::int64_t>();
    index.writeCapacity = o.at("writeCapacity").to_number<std::int64_t>();
    index.status = o.at("status").as_string() == "CREATING" ? IndexStatus::Creating : IndexStatus::Active;
    index.backfillStarted = o.at("backfillStarted").as_bool();
    index.backfillHash = std::stoull(std::string(o.at("backfillHash").as_string()));
    index.backfillPartitionKey = fromHex(o.at("backfillPartitionKey").as_string());
    index.backfillSortKey = fromHex(o.at("backfillSortKey").as_string());
    index.backfilledItems = o.at("backfilledItems").to_number<std::int64_t>();
    index.nextPartitionId = o.at("nextPartitionId").to_number<std::int64_t>();
    index.partitions = partitionsFromJson(o.at("partitions"));
    return coversHashSpace(index.partitions);
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
    if (lastPayPerRequestAt)
        o["lastPayPerRequestAt"] = *lastPayPerRequestAt;
    if (updatingUntil != 0)
        o["updatingUntil"] = updatingUntil;
    if (pointInTimeRecovery.enabled || pointInTimeRecovery.enabledAt != 0)
        o["pointInTimeRecovery"] = json::object { { "enabled", pointInTimeRecovery.enabled },
            { "enabledAt", pointInTimeRecovery.enabledAt }, { "recoveryPeriodDays", pointInTimeRecovery.recoveryPeriodDays } };
    if (restore)
        o["restore"] = json::object { { "sourceTableArn", restore->sourceTableArn },
            { "sourceBackupArn", restore->sourceBackupArn }, { "restoreDateTime", restore->restoreDateTime },
            { "completesAt", restore->completesAt }, { "restoredBytes", restore->restoredBytes } };
    if (!stream.isDefault())
        o["stream"] = json::object { { "enabled", stream.enabled }, { "viewType", stream.viewType },
            { "latestArn", stream.latestArn }, { "latestLabel", stream.latestLabel }, { "toggledAt", stream.toggledAt } };
    if (creatingUntil != 0)
        o["creatingUntil"] = creatingUntil;
    o["region"] = region;
    if (!replicas.empty()) {
        json::array list;
        for (const auto& r : replicas)
            list.push_back(json::object { { "region", r.region }, { "status", static_cast<int>(r.status) },
                { "until", r.until } });
        o["replicas"] = std::move(list);
    }
    if (writeAutoScaled)
        o["writeAutoScaled"] = true;
    o["tableClassChanges"] = timesToJson(tableClassChanges);
    if (!tags.empty()) {
        json::object tagObject;
        for (const auto& [key, value] : tags)
            tagObject[key] = value;
        o["tags"] = std::move(tagObject);
    }
    o["nextPartitionId"] = nextPartitionId;
    o["partitions"] = partitionsToJson(partitions);
    json::array indexArray;
    for (const auto& index : indexes)
        indexArray.push_back(indexToJson(index));
    o["indexes"] = std::move(indexArray);
    if (!ttl.isDefault()) {
        json::object t;
        t["enabled"] = ttl.enabled;
        t["attributeName"] = ttl.attributeName;
        t["statusAt"] = ttl.statusAt;
        if (ttl.lastChangeAt)
            t["lastChangeAt"] = *ttl.lastChangeAt;
        t["expiredItems"] = ttl.expiredItems;
        t["deletedItems"] = ttl.deletedItems;
        t["deletionDelaySum"] = ttl.deletionDelaySum;
        o["ttl"] = std::move(t);
    }
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
        if (const auto* last = o.if_contains("lastPayPerRequestAt"))
            t.lastPayPerRequestAt = last->to_number<std::int64_t>();
        else if (!t.payPerRequestSwitches.empty())
            t.lastPayPerRequestAt = t.payPerRequestSwitches.back();
        if (const auto* until = o.if_contains("updatingUntil"))
            t.updatingUntil = until->to_number<std::int64_t>();
        if (const auto* pitr = o.if_contains("pointInTimeRecovery")) {
            const auto& po = pitr->as_object();
            t.pointInTimeRecovery.enabled = po.at("enabled").as_bool();
            t.pointInTimeRecovery.enabledAt = po.at("enabledAt").to_number<std::int64_t>();
            t.pointInTimeRecovery.recoveryPeriodDays = po.at("recoveryPeriodDays").to_number<int>();
        }
        if (const auto* restoring = o.if_contains("restore")) {
            const auto& ro = restoring->as_object();
            t.restore = RestoreSummary { std::string(ro.at("sourceTableArn").as_string()),
                std::string(ro.at("sourceBackupArn").as_string()), ro.at("restoreDateTime").to_number<std::int64_t>(),
                ro.at("completesAt").to_number<std::int64_t>(), ro.at("restoredBytes").to_number<std::int64_t>() };
        }
        if (const auto* stream = o.if_contains("stream")) {
            const auto& so = stream->as_object();
            t.stream.enabled = so.at("enabled").as_bool();
            t.stream.viewType = std::string(so.at("viewType").as_string());
            t.stream.latestArn = std::string(so.at("latestArn").as_string());
            t.stream.latestLabel = std::string(so.at("latestLabel").as_string());
            t.stream.toggledAt = so.at("toggledAt").to_number<std::int64_t>();
        }
        if (const auto* until = o.if_contains("creatingUntil"))
            t.creatingUntil = until->to_number<std::int64_t>();
        // Tables stored before regions existed: the region of their stream's ARN, else
        // us-east-1 (the default region of every earlier call).
        if (const auto* region = o.if_contains("region")) {
            t.region = std::string(region->as_string());
        } else if (t.stream.latestArn.rfind("arn:aws:dynamodb:", 0) == 0) {
            const std::size_t start = std::string("arn:aws:dynamodb:").size();
            const std::size_t end = t.stream.latestArn.find(':', start);
            if (end != std::string::npos && end > start)
                t.region = t.stream.latestArn.substr(start, end - start);
        }
        if (const auto* list = o.if_contains("replicas")) {
            for (const auto& rv : list->as_array()) {
                const auto& ro = rv.as_object();
                const int status = ro.at("status").to_number<int>();
                if (status < 0 || status > 2)
                    return corrupt();
                t.replicas.push_back({ std::string(ro.at("region").as_string()), static_cast<ReplicaStatus>(status),
                    ro.at("until").to_number<std::int64_t>() });
            }
        }
        if (const auto* scaled = o.if_contains("writeAutoScaled"))
            t.writeAutoScaled = scaled->as_bool();
        t.tableClassChanges = timesFromJson(o.if_contains("tableClassChanges"));
        if (const auto* tags = o.if_contains("tags")) {
            for (const auto& [key, value] : tags->as_object())
                t.tags.emplace(std::string(key), std::string(value.as_string()));
        }
        t.nextPartitionId = o.at("nextPartitionId").to_number<std::int64_t>();
        t.partitions = partitionsFromJson(o.at("partitions"));
        if (const auto* indexes = o.if_contains("indexes")) {
            for (const auto& iv : indexes->as_array()) {
                IndexState index;
                if (!indexFromJson(iv, index))
                    return corrupt();
                t.indexes.push_back(std::move(index));
            }
        }
        if (const auto* ttl = o.if_contains("ttl")) {
            const auto& to = ttl->as_object();
            t.ttl.enabled = to.at("enabled").as_bool();
            t.ttl.attributeName = std::string(to.at("attributeName").as_string());
            t.ttl.statusAt = to.at("statusAt").to_number<std::int64_t>();
            if (const auto* last = to.if_contains("lastChangeAt"))
                t.ttl.lastChangeAt = last->to_number<std::int64_t>();
            t.ttl.expiredItems = to.at("expiredItems").to_number<std::int64_t>();
            t.ttl.deletedItems = to.at("deletedItems").to_number<std::int64_t>();
            t.ttl.deletionDelaySum = to.at("deletionDelaySum").to_number<std::int64_t>();
        }
    } catch (const std::exception&) {
        return corrupt();
    }
    if (!coversHashSpace(t.partitions))
        return corrupt();
    return t;
}

const char* replicaStatusName(ReplicaStatus status)
{
    switch (status) {
    case ReplicaStatus::Creating: return "CREATING";
    case ReplicaStatus::Active: return "ACTIVE";
    case ReplicaStatus::Deleting: return "DELETING";
    }
    return "";
}

const ReplicaState* TableState::findReplica(const std::string& regionName) const
{
    for (const auto& r : replicas)
        if (r.region == regionName)
            return &r;
    return nullptr;
}

} // namespace capsim

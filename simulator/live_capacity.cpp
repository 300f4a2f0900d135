#include "simulator/live_capacity.h"

#include "engine/expression/expression.h"
#include "engine/index_entries.h"
#include "engine/json_codec.h"
#include "engine/key_codec.h"
#include "engine/quotas.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace capsim {

namespace json = boost::json;

namespace {

constexpr EngineTime kSecond = kMicrosPerSecond;
constexpr EngineTime kMinute = 60 * kMicrosPerSecond;

// DynamoDB's throttle messages (as SDKs report them; the reference names only the types, A3).
constexpr const char* kTableThrottledProvisioned = "The level of configured provisioned throughput for the table was "
                                                   "exceeded. Consider increasing your provisioning level with the "
                                                   "UpdateTable API.";
constexpr const char* kIndexThrottledProvisioned = "The level of configured provisioned throughput for one or more "
                                                   "global secondary indexes of the table was exceeded. Consider "
                                                   "increasing your provisioning level for the under-provisioned "
                                                   "global secondary indexes with the UpdateTable API";
constexpr const char* kTableThrottledOnDemand = "Throughput exceeds the current capacity of your table or index. "
                                                "DynamoDB is automatically scaling your table or index so please try "
                                                "again shortly. If exceptions persist, check if you have a hot key: "
                                                "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
                                                "bp-partition-key-design.html";
constexpr const char* kIndexThrottledOnDemand = "Throughput exceeds the current capacity for one or more global "
                                                "secondary indexes. DynamoDB is automatically scaling your index so "
                                                "please try again shortly.";

std::int64_t floorDiv(EngineTime t, EngineTime unit)
{
    return t >= 0 ? t / unit : -((-t + unit - 1) / unit);
}

// The dimension an item operation consumes; none for every other operation (no admission).
std::optional<Dimension> dimensionOfOperation(std::string_view operation)
{
    if (operation == "GetItem" || operation == "Query" || operation == "Scan" || operation == "BatchGetItem"
        || operation == "TransactGetItems")
        return Dimension::Read;
    if (operation == "PutItem" || operation == "UpdateItem" || operation == "DeleteItem"
        || operation == "BatchWriteItem" || operation == "TransactWriteItems")
        return Dimension::Write;
    return std::nullopt;
}

// Defensive readers of the request: a field that is missing or of the wrong type reads as
// absent, and the engine answers the request's ValidationException or SerializationException.
const json::value* field(const json::value* v, std::string_view name)
{
    const auto* o = v ? v->if_object() : nullptr;
    return o ? o->if_contains(name) : nullptr;
}

std::optional<std::string> stringField(const json::value* v, std::string_view name)
{
    const auto* f = field(v, name);
    if (!f || !f->is_string())
        return std::nullopt;
    return std::string(f->get_string());
}

std::optional<Item> itemField(const json::value* v, std::string_view name)
{
    const auto* f = field(v, name);
    if (!f)
        return std::nullopt;
    auto item = itemFromJson(*f, name);
    if (!item)
        return std::nullopt;
    return std::move(item).value();
}

std::optional<std::int64_t> integerField(const json::value* v, std::string_view name)
{
    const auto* f = field(v, name);
    if (!f)
        return std::nullopt;
    if (f->is_int64())
        return f->get_int64();
    if (f->is_uint64() && f->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(f->get_uint64());
    return std::nullopt;
}

// ExpressionAttributeNames / ExpressionAttributeValues as the engine's parsers take them.
std::optional<expr::ExpressionAttributes> expressionAttributesOf(const json::value* v)
{
    expr::ExpressionAttributes attributes;
    if (const auto* names = field(v, "ExpressionAttributeNames")) {
        if (!names->is_object())
            return std::nullopt;
        std::map<std::string, std::string> out;
        for (const auto& [alias, name] : names->get_object()) {
            if (!name.is_string())
                return std::nullopt;
            out[std::string(alias)] = std::string(name.get_string());
        }
        attributes.setNames(std::move(out));
    }
    if (field(v, "ExpressionAttributeValues")) {
        auto values = itemField(v, "ExpressionAttributeValues");
        if (!values)
            return std::nullopt;
        attributes.setValues(std::move(*values));
    }
    return attributes;
}

std::optional<std::uint64_t> hashOf(const Item& item, const KeyElement& partitionKey)
{
    const auto it = item.find(partitionKey.name);
    if (it == item.end() || !it->second.is(partitionKey.type))
        return std::nullopt;
    return partitionHash(encodeKeyValue(it->second));
}

Item tableKeyOf(const KeySchema& key, const Item& item)
{
    Item out;
    for (const KeyElement* e : { &key.partition, key.sort ? &*key.sort : nullptr })
        if (e)
            if (const auto it = item.find(e->name); it != item.end())
                out[e->name] = it->second;
    return out;
}

// One item a write request changes: its table and key, and what it writes.
struct ItemWrite {
    std::string tableName;
    Item key; // the item of a Put (it holds the key)
    enum class Kind { Put, Update, Delete, Check } kind = Kind::Put;
    const json::value* request = nullptr; // Update: UpdateExpression and its attributes
};

} // namespace

struct LiveCapacity::Target {
    std::string tableName;
    std::string indexName; // empty: the table
    Dimension dimension = Dimension::Read;
    std::vector<std::uint64_t> hashes; // partition hashes the request touches
    double demandUnits = 1; // what a refused request would have needed (on-demand growth)
};

LiveCapacity::LiveCapacity(const ModelSpec& model, double clockSpeed)
    : m_model(model)
    , m_clockSpeed(clockSpeed > 0 && std::isfinite(clockSpeed) ? clockSpeed : 1.0)
{
}

void LiveCapacity::applyRates(Track& track, EngineTime now)
{
    if (track.inForce.mode == BillingMode::Provisioned) {
        track.model->setTableRates(std::min<double>(static_cast<double>(track.inForce.read), kTableQuotaUnits),
            std::min<double>(static_cast<double>(track.inForce.write), kTableQuotaUnits), now);
        return;
    }
    const auto window
        = static_cast<EngineTime>(std::llround(static_cast<double>(m_model.onDemandWindow) / m_clockSpeed));
    for (Dimension d : kDimensions)
        track.growth[d].updateCeiling(now, std::max<EngineTime>(1, window), std::nullopt);
    track.model->setTableRates(track.growth[Dimension::Read].ceiling, track.growth[Dimension::Write].ceiling, now);
}

bool LiveCapacity::rollMinutes(Track& track, EngineTime now)
{
    const std::int64_t minute = floorDiv(now, kMinute);
    if (minute <= track.minute)
        return false;
    const EngineTime end = (track.minute + 1) * kMinute;
    bool recompute = false;
    for (Dimension d : kDimensions) {
        recompute = track.growth[d].observeMinute(track.minuteConsumed[d] / 60.0, track.minuteDemand[d] / 60.0, end)
            || recompute;
        track.minuteConsumed[d] = 0;
        track.minuteDemand[d] = 0;
    }
    track.minute = minute;
    if (track.inForce.mode != BillingMode::PayPerRequest || !recompute)
        return false;
    const double readBefore = track.growth[Dimension::Read].ceiling;
    const double writeBefore = track.growth[Dimension::Write].ceiling;
    applyRates(track, end);
    return readBefore != track.growth[Dimension::Read].ceiling || writeBefore != track.growth[Dimension::Write].ceiling;
}

void LiveCapacity::syncTrack(
    Track& track, const std::vector<Partition>& partitions, const Settings& settings, EngineTime now)
{
    std::vector<std::int64_t> ids;
    std::vector<CapacityModel::PartitionRange> ranges;
    for (const auto& p : partitions) {
        ids.push_back(p.id);
        ranges.push_back({ p.id, p.hashLow, p.hashHigh });
    }
    auto startGrowth = [&](const Settings& s) {
        track.growth[Dimension::Read] = OnDemandGrowth {};
        track.growth[Dimension::Write] = OnDemandGrowth {};
        track.growth[Dimension::Read].peak = static_cast<double>(s.peakRead);
        track.growth[Dimension::Write].peak = static_cast<double>(s.peakWrite);
    };
    if (!track.model) {
        // First addressed now: the settings the engine holds are in force, buckets full (A3).
        track.model = std::make_unique<CapacityModel>(m_model, now);
        track.seen = track.inForce = settings;
        startGrowth(settings);
        track.minute = floorDiv(now, kMinute);
        track.partitionIds = std::move(ids);
        track.model->setPartitions(ranges, now);
        applyRates(track, now);
        return;
    }
    // A capacity or billing-mode change the engine accepted since the last look comes into
    // force model.updateTableDelay after it was seen (reference A4).
    if (!settings.sameRates(track.seen)) {
        const auto delay
            = static_cast<EngineTime>(std::llround(static_cast<double>(m_model.updateTableDelay) / m_clockSpeed));
        track.pending.emplace_back(now + delay, settings);
        track.seen = settings;
    }
    while (!track.pending.empty() && track.pending.front().first <= now) {
        const auto [at, next] = track.pending.front();
        track.pending.pop_front();
        if (next.mode == BillingMode::PayPerRequest && track.inForce.mode != BillingMode::PayPerRequest)
            startGrowth(next);
        track.inForce = next;
        applyRates(track, at);
    }
    rollMinutes(track, now);
    // Splits (for size, for a capacity increase, an on-demand ceiling) reach the buckets at once.
    if (ids != track.partitionIds) {
        track.partitionIds = std::move(ids);
        track.model->setPartitions(ranges, now);
    }
}

LiveCapacity::TableTrack* LiveCapacity::sync(
    Engine& engine, const std::string& tableName, EngineTime now, Status& engineStatus)
{
    const std::string key = engine.region() + "/" + tableName;
    const TableState* state = engine.table(tableName);
    auto it = m_tables.find(key);
    if (!state) {
        if (it != m_tables.end())
            m_tables.erase(it);
        return nullptr;
    }
    // A table deleted and created again under its name starts afresh.
    if (it != m_tables.end() && it->second.table.storageId != state->id) {
        m_tables.erase(it);
        it = m_tables.end();
    }
    if (it == m_tables.end()) {
        it = m_tables.emplace(key, TableTrack {}).first;
        it->second.table.storageId = state->id;
        it->second.table.metricName = tableName;
    }
    TableTrack& t = it->second;
    const Settings tableSettings { state->billingMode, state->readCapacity, state->writeCapacity, state->peakRead,
        state->peakWrite };
    const bool wasOnDemandGrowing = t.table.model && t.table.inForce.mode == BillingMode::PayPerRequest;
    const double ceilingsBefore
        = t.table.model ? t.table.growth[Dimension::Read].ceiling + t.table.growth[Dimension::Write].ceiling : 0.0;
    syncTrack(t.table, state->partitions, tableSettings, now);
    if (wasOnDemandGrowing && t.table.inForce.mode == BillingMode::PayPerRequest
        && ceilingsBefore != t.table.growth[Dimension::Read].ceiling + t.table.growth[Dimension::Write].ceiling) {
        // An on-demand table's partitions follow its ceiling (reference A3): the engine keeps the
        // previous peak (half the ceiling) and adds the partitions it needs.
        const auto peakRead = static_cast<std::int64_t>(std::ceil(t.table.growth[Dimension::Read].ceiling / 2));
        const auto peakWrite = static_cast<std::int64_t>(std::ceil(t.table.growth[Dimension::Write].ceiling / 2));
        if (peakRead != state->peakRead || peakWrite != state->peakWrite) {
            if (Status s = engine.setOnDemandPeak(tableName, peakRead, peakWrite); !s)
                engineStatus = s;
            state = engine.table(tableName);
            if (!state)
                return nullptr;
            syncTrack(t.table, state->partitions, tableSettings, now);
        }
    }
    // Its GSIs: a track per index of the engine's, new ones made, dropped ones forgotten.
    for (auto index = t.indexes.begin(); index != t.indexes.end();) {
        const IndexState* found = state->findIndex(index->first);
        if (!found || !found->isGlobal() || found->id != index->second.storageId)
            index = t.indexes.erase(index);
        else
            ++index;
    }
    for (const auto& index : state->indexes) {
        if (!index.isGlobal())
            continue;
        Track& track = t.indexes[index.name];
        if (!track.model) {
            track.storageId = index.id;
            track.metricName = tableName + "/" + index.name;
        }
        // A GSI of an on-demand table starts at a new table's previous peak (reference A3).
        syncTrack(track, index.partitions,
            Settings { state->billingMode, index.readCapacity, index.writeCapacity, kOnDemandInitialPeakRead,
                kOnDemandInitialPeakWrite },
            now);
    }
    return &t;
}

Status LiveCapacity::collectTargets(
    Engine& engine, std::string_view operation, const json::value& request, std::vector<Target>& targets)
{
    const Dimension dimension = *dimensionOfOperation(operation);
    std::vector<Target> tableTargets;
    auto targetFor = [&](std::vector<Target>& list, const std::string& table, const std::string& index) -> Target& {
        for (auto& t : list)
            if (t.tableName == table && t.indexName == index)
                return t;
        list.push_back(Target { table, index, dimension, {}, 0 });
        return list.back();
    };
    std::vector<ItemWrite> writes;
    // One item addressed by its key (or a Put's item) in `tableName`.
    auto addItem = [&](const std::string& tableName, const json::value* keyOrItem, ItemWrite::Kind kind,
                       const json::value* spec) {
        const TableState* state = engine.table(tableName);
        if (!state || !keyOrItem)
            return;
        auto item = itemFromJson(*keyOrItem, "Key");
        if (!item)
            return;
        const auto hash = hashOf(*item, state->key.partition);
        if (!hash)
            return;
        Target& target = targetFor(tableTargets, tableName, "");
        target.hashes.push_back(*hash);
        if (dimension == Dimension::Write) {
            target.demandUnits
                += kind == ItemWrite::Kind::Put ? static_cast<double>(writeUnits(itemSizeBytes(*item))) : 1.0;
            writes.push_back(ItemWrite { tableName, std::move(*item), kind, spec });
        } else {
            target.demandUnits += 1.0;
        }
    };
    const json::value* r = &request;
    const std::string tableName = stringField(r, "TableName").value_or("");
    if (operation == "GetItem" || operation == "UpdateItem" || operation == "DeleteItem") {
        addItem(tableName, field(r, "Key"),
            operation == "GetItem" ? ItemWrite::Kind::Check
                                   : (operation == "UpdateItem" ? ItemWrite::Kind::Update : ItemWrite::Kind::Delete),
            r);
    } else if (operation == "PutItem") {
        addItem(tableName, field(r, "Item"), ItemWrite::Kind::Put, r);
    } else if (operation == "Query" || operation == "Scan") {
        const TableState* state = engine.table(tableName);
        if (!state)
            return Status::ok();
        const auto indexName = stringField(r, "IndexName");
        const IndexState* index = indexName ? state->findIndex(*indexName) : nullptr;
        if (indexName && !index)
            return Status::ok();
        const KeySchema& key = index ? index->key : state->key;
        std::optional<std::uint64_t> hash;
        if (operation == "Query") {
            // The partition the key condition names (an LSI's is the table's).
            auto attributes = expressionAttributesOf(r);
            const auto text = stringField(r, "KeyConditionExpression");
            if (!attributes || !text)
                return Status::ok();
            auto condition = expr::parseKeyCondition(*text, *attributes, key.partition.name, key.partition.type,
                key.sort ? std::optional<std::string>(key.sort->name) : std::nullopt,
                key.sort ? key.sort->type : AttrType::S);
            if (!condition || !condition->partitionValue.is(key.partition.type))
                return Status::ok();
            hash = partitionHash(encodeKeyValue(condition->partitionValue));
        } else if (field(r, "ExclusiveStartKey")) {
            // A Scan is admitted where its page starts (as the simulator does): after its start
            // key, or at its segment's start; its units land on every partition it reads.
            const auto start = itemField(r, "ExclusiveStartKey");
            if (!start)
                return Status::ok();
            hash = hashOf(*start, key.partition);
        } else {
            const auto segment = integerField(r, "Segment");
            const auto total = integerField(r, "TotalSegments");
            hash = segment && total && *total > 0 && *segment >= 0 && *segment < *total
                ? evenHashBoundary(static_cast<std::uint64_t>(*segment), static_cast<std::uint64_t>(*total))
                : std::uint64_t { 0 };
        }
        if (!hash)
            return Status::ok();
        Target& target = targetFor(tableTargets, tableName, index && index->isGlobal() ? index->name : "");
        target.hashes.push_back(*hash);
        target.demandUnits = 1;
    } else if (operation == "BatchGetItem") {
        if (const auto* items = field(r, "RequestItems"); items && items->is_object())
            for (const auto& [name, entry] : items->get_object())
                if (const auto* keys = field(&entry, "Keys"); keys && keys->is_array())
                    for (const auto& key : keys->get_array())
                        addItem(std::string(name), &key, ItemWrite::Kind::Check, nullptr);
    } else if (operation == "BatchWriteItem") {
        if (const auto* items = field(r, "RequestItems"); items && items->is_object())
            for (const auto& [name, list] : items->get_object()) {
                if (!list.is_array())
                    continue;
                for (const auto& w : list.get_array()) {
                    if (const auto* put = field(&w, "PutRequest"))
                        addItem(std::string(name), field(put, "Item"), ItemWrite::Kind::Put, put);
                    else if (const auto* erase = field(&w, "DeleteRequest"))
                        addItem(std::string(name), field(erase, "Key"), ItemWrite::Kind::Delete, erase);
                }
            }
    } else if (operation == "TransactGetItems" || operation == "TransactWriteItems") {
        if (const auto* items = field(r, "TransactItems"); items && items->is_array())
            for (const auto& action : items->get_array()) {
                for (const auto& [member, kind] : { std::pair { "Get", ItemWrite::Kind::Check },
                         std::pair { "ConditionCheck", ItemWrite::Kind::Check },
                         std::pair { "Put", ItemWrite::Kind::Put }, std::pair { "Update", ItemWrite::Kind::Update },
                         std::pair { "Delete", ItemWrite::Kind::Delete } }) {
                    const auto* spec = field(&action, member);
                    if (!spec)
                        continue;
                    addItem(stringField(spec, "TableName").value_or(""),
                        field(spec, kind == ItemWrite::Kind::Put ? "Item" : "Key"), kind, spec);
                }
            }
    }
    targets = std::move(tableTargets);

    // GSI back-pressure (reference A2): a write is admitted only when every GSI partition whose
    // entry it changes admits a write too. The entries are known before the write runs: the
    // item before (read here, free of charge) and after (a Put's item, or the update applied to
    // a copy). A write whose entry stays the same costs the GSI nothing and is not checked.
    std::vector<Target> indexTargets;
    for (const auto& w : writes) {
        if (w.kind == ItemWrite::Kind::Check)
            continue;
        const TableState* state = engine.table(w.tableName);
        if (!state || std::none_of(state->indexes.begin(), state->indexes.end(), [](const IndexState& i) {
                return i.isGlobal();
            }))
            continue;
        GetItemRequest get;
        get.tableName = w.tableName;
        get.key = tableKeyOf(state->key, w.key);
        get.consistentRead = true;
        GetItemResponse current = engine.getItem(get);
        if (current.status.is(error::kInternalServerError))
            return current.status;
        if (!current.status)
            continue; // a malformed key: the engine refuses the write itself
        state = engine.table(w.tableName);
        const std::optional<Item>& before = current.item;
        std::optional<Item> after;
        if (w.kind == ItemWrite::Kind::Put) {
            after = w.key;
        } else if (w.kind == ItemWrite::Kind::Update) {
            Item updated = before.value_or(get.key);
            if (const auto text = stringField(w.request, "UpdateExpression")) {
                auto attributes = expressionAttributesOf(w.request);
                if (!attributes)
                    continue;
                auto update = expr::parseUpdate(*text, *attributes);
                if (!update || !update->apply(updated, before.has_value()))
                    continue; // the engine refuses the update itself
            }
            after = std::move(updated);
        }
        for (const auto& index : state->indexes) {
            if (!index.isGlobal())
                continue;
            // The engine's own rule for an item's entry (sparse indexes, projections, key limits).
            const auto entryBefore = before ? engine_internal::indexEntryOf(state->key, index, *before) : std::nullopt;
            const auto entryAfter = after ? engine_internal::indexEntryOf(state->key, index, *after) : std::nullopt;
            if (entryBefore.has_value() == entryAfter.has_value()
                && (!entryBefore || entryBefore->item == entryAfter->item))
                continue;
            Target& target = targetFor(indexTargets, w.tableName, index.name);
            for (const auto* entry : { &entryBefore, &entryAfter })
                if (*entry)
                    target.hashes.push_back((*entry)->key.hash);
            target.demandUnits += entryAfter ? static_cast<double>(writeUnits(entryAfter->sizeBytes)) : 1.0;
        }
    }
    targets.insert(
        targets.end(), std::make_move_iterator(indexTargets.begin()), std::make_move_iterator(indexTargets.end()));
    return Status::ok();
}

Status LiveCapacity::admit(Engine& engine, std::string_view operation, const json::value& request, EngineTime now)
{
    const auto dimension = dimensionOfOperation(operation);
    Status engineStatus;
    if (!dimension) {
        // Before a control-plane call (UpdateTable) the table's settings are taken as in force,
        // so that its change is seen as one (charge) and comes into force after the delay.
        if (const auto name = stringField(&request, "TableName"))
            sync(engine, *name, now, engineStatus);
        return engineStatus;
    }
    std::vector<Target> targets;
    CAPSIM_RETURN_IF_ERROR(collectTargets(engine, operation, request, targets));
    for (const Target& target : targets) {
        TableTrack* t = sync(engine, target.tableName, now, engineStatus);
        if (!t)
            continue;
        Track* track = &t->table;
        if (!target.indexName.empty()) {
            const auto it = t->indexes.find(target.indexName);
            if (it == t->indexes.end())
                continue;
            track = &it->second;
        }
        if (track->model->partitionCount() == 0)
            continue;
        std::vector<std::size_t> partitions;
        for (std::uint64_t hash : target.hashes)
            partitions.push_back(track->model->partitionIndexForHash(hash));
        std::sort(partitions.begin(), partitions.end());
        partitions.erase(std::unique(partitions.begin(), partitions.end()), partitions.end());
        // Admitted only when every partition it touches admits (reference A3); a batch or a
        // transaction is refused whole, as one request, as the simulator does.
        bool admitted = true;
        for (std::size_t p : partitions)
            admitted = admitted && track->model->admit(p, *dimension, now);
        if (admitted)
            continue;
        // Refused at once, consuming nothing; a throttle event on the table and on the GSI that
        // refused it (reference A3).
        track->minuteDemand[*dimension] += target.demandUnits;
        noteSecond(engine.region(), track->metricName, now, *dimension, 0, 1);
        if (track != &t->table)
            noteSecond(engine.region(), t->table.metricName, now, *dimension, 0, 1);
        const bool provisioned = track->inForce.mode == BillingMode::Provisioned;
        const bool index = track != &t->table;
        return Status(provisioned ? error::kProvisionedThroughputExceeded : error::kThrottling,
            provisioned ? (index ? kIndexThrottledProvisioned : kTableThrottledProvisioned)
                        : (index ? kIndexThrottledOnDemand : kTableThrottledOnDemand));
    }
    return engineStatus;
}

Status LiveCapacity::charge(Engine& engine, std::string_view operation, const json::value& request,
    const WireResponse& response, EngineTime now)
{
    Status engineStatus;
    if (!dimensionOfOperation(operation)) {
        // A control-plane change (UpdateTable's capacity or billing mode, DeleteTable) is seen
        // now, so it comes into force model.updateTableDelay from now.
        if (const auto name = stringField(&request, "TableName"))
            sync(engine, *name, now, engineStatus);
        return engineStatus;
    }
    for (const ConsumedCapacity& consumed : response.consumed) {
        TableTrack* t = sync(engine, consumed.tableName, now, engineStatus);
        if (!t)
            continue;
        auto chargeTo = [&](Track& track, std::int64_t partitionId, double read, double write) {
            if (track.model->partitionCount() == 0)
                return;
            const std::size_t index = track.model->partitionIndexForId(partitionId);
            for (Dimension d : kDimensions) {
                const double units = d == Dimension::Read ? read : write;
                if (units <= 0)
                    continue;
                track.model->charge(index, d, units, now);
                track.minuteConsumed[d] += units;
                track.minuteDemand[d] += units;
                noteSecond(engine.region(), track.metricName, now, d, units, 0);
            }
        };
        // Table and LSI units count against the table's partitions; GSI units against the GSI's.
        for (const auto& p : consumed.partitions)
            chargeTo(t->table, p.partitionId, p.read, p.write);
        for (const auto& p : consumed.indexPartitions)
            if (const auto it = t->indexes.find(p.indexName); it != t->indexes.end())
                chargeTo(it->second, p.partitionId, p.read, p.write);
    }
    return engineStatus;
}

void LiveCapacity::noteSecond(const std::string& region, const std::string& table, EngineTime now, Dimension d,
    double units, std::int64_t throttles)
{
    const std::int64_t second = floorDiv(now, kSecond);
    std::lock_guard lock(m_metricsMutex);
    Second& row = m_seconds[second][{ region, table }];
    row.region = region;
    row.table = table;
    row.second = second;
    if (d == Dimension::Read) {
        row.readUnits += units;
        row.readThrottles += throttles;
    } else {
        row.writeUnits += units;
        row.writeThrottles += throttles;
    }
    const std::int64_t latest = m_seconds.rbegin()->first;
    while (!m_seconds.empty() && m_seconds.begin()->first < latest - kKeptSeconds)
        m_seconds.erase(m_seconds.begin());
}

std::vector<LiveCapacity::Second> LiveCapacity::recentSeconds(std::int64_t sinceSecond) const
{
    std::lock_guard lock(m_metricsMutex);
    std::vector<Second> out;
    for (auto it = m_seconds.lower_bound(sinceSecond); it != m_seconds.end(); ++it)
        for (const auto& [key, row] : it->second)
            out.push_back(row);
    return out;
}

std::optional<PerDimension<double>> LiveCapacity::ratesInForce(
    const std::string& region, const std::string& table) const
{
    const auto slash = table.find('/');
    const auto it = m_tables.find(region + "/" + table.substr(0, slash));
    if (it == m_tables.end())
        return std::nullopt;
    const Track* track = &it->second.table;
    if (slash != std::string::npos) {
        const auto index = it->second.indexes.find(table.substr(slash + 1));
        if (index == it->second.indexes.end())
            return std::nullopt;
        track = &index->second;
    }
    if (!track->model)
        return std::nullopt;
    PerDimension<double> rates;
    for (Dimension d : kDimensions)
        rates[d] = track->model->tableRate(d);
    return rates;
}

} // namespace capsim

#include "simulator/client_retries.h"
#include "simulator/simulator_impl.h"

#include <algorithm>
#include <set>
#include <variant>

namespace capsim {

namespace {

bool isMultiKey(OperationType type)
{
    return type == OperationType::Scan || type == OperationType::BatchGetItem || type == OperationType::BatchWriteItem
        || type == OperationType::TransactGetItems || type == OperationType::TransactWriteItems;
}

std::vector<Item> batchKeys(const GeneratedRequest& g)
{
    std::vector<Item> keys;
    if (const auto* get = std::get_if<BatchGetItemRequest>(&g.request)) {
        for (const auto& [table, entry] : get->requestItems)
            keys.insert(keys.end(), entry.keys.begin(), entry.keys.end());
    } else if (const auto* write = std::get_if<BatchWriteItemRequest>(&g.request)) {
        for (const auto& [table, writes] : write->requestItems)
            for (const auto& w : writes)
                keys.push_back(w.item);
    } else if (const auto* tget = std::get_if<TransactGetItemsRequest>(&g.request)) {
        for (const auto& action : tget->gets)
            keys.push_back(action.key);
    } else if (const auto* twrite = std::get_if<TransactWriteItemsRequest>(&g.request)) {
        for (const auto& action : twrite->actions)
            keys.push_back(action.item);
    }
    return keys;
}

} // namespace

void Simulator::Impl::handleArrival(std::size_t w)
{
    WorkloadRuntime& workload = workloads[w];
    std::size_t slot;
    if (!freeSlots.empty()) {
        slot = freeSlots.back();
        freeSlots.pop_back();
    } else {
        slot = pending.size();
        pending.emplace_back();
    }
    PendingRequest& r = pending[slot];
    r.workload = w;
    r.request = workload.generator->next(now);
    r.firstArrival = now;
    r.attempts = 0;
    r.active = true;
    attempt(slot);
    const SimTime next = workload.arrivals->next();
    if (next < scenario.duration)
        queue.schedule(next, EventClass::Request, QueuedKind::Arrival, w);
}

std::string Simulator::Impl::keyLabel(const GeneratedRequest& r) const
{
    if (r.partitionKeyOverride && r.partitionKeyOverride->is(AttrType::S))
        return r.partitionKeyOverride->bytes(); // an index query's drawn value
    return keyLabelOf(r.partitionKeyIndex);
}

void Simulator::Impl::attempt(std::size_t slot)
{
    PendingRequest& r = pending[slot];
    WorkloadRuntime& w = workloads[r.workload];
    TableRuntime& base = tables[w.table];
    // The engine addresses the region of the replica the workload's requests go to (reference A11).
    RegionScope scope(*engine, base.region);
    if (downRegions.count(base.region) != 0) {
        // regionOutage: the region is unreachable, so the request fails at once: it reaches no
        // table (not counted as a request, no units) and the client does not retry it (A11).
        ++r.attempts;
        requestFailed(base, r,
            Status("ServiceUnavailable", "region " + base.region + " is unreachable (regionOutage)"));
        r.active = false;
        freeSlots.push_back(slot);
        return;
    }
    if (!tableServing(base)) {
        // A restore or import target not made yet, or still CREATING: DynamoDB answers
        // ResourceNotFoundException, which the SDK does not retry (the request fails).
        ++r.attempts;
        if (dimensionOf(r.request.type) == Dimension::Read)
            ++base.result.requestsRead;
        else
            ++base.result.requestsWrite;
        ++base.minuteRequests[dimensionOf(r.request.type)];
        requestFailed(base, r, Status::notFound("Requested resource not found: Table: " + base.spec->name + " not found"));
        r.active = false;
        freeSlots.push_back(slot);
        return;
    }
    // An index workload is admitted by (and counted on) its GSI; an LSI read by the table, and
    // counted on the LSI as well.
    TableRuntime* target = &base;
    TableRuntime* localIndex = nullptr;
    if (w.spec->index) {
        const auto found = findIndexRuntime(w.table, *w.spec->index);
        if (!found || tables[*found].creating) {
            // Not created yet, being backfilled or deleted: DynamoDB answers ValidationException
            // (or ResourceNotFoundException), which the simulator does not retry or count.
            r.active = false;
            freeSlots.push_back(slot);
            return;
        }
        if (tables[*found].isGlobalIndex())
            target = &tables[*found];
        else
            localIndex = &tables[*found];
    }
    TableRuntime& t = *target;
    const Dimension d = dimensionOf(r.request.type);
    ++r.attempts;
    if (localIndex) {
        ++localIndex->minuteRequests[d];
        ++localIndex->result.requestsRead;
    }
    ++t.minuteRequests[d];
    if (d == Dimension::Read)
        ++t.result.requestsRead;
    else
        ++t.result.requestsWrite;

    // Admission on the partition(s) the request touches (reference A3).
    const std::string& pkName = partitionKeyOf(t).name;
    bool admitted = true;
    std::vector<std::size_t> touched;
    // A batch or transaction touches each of its items' partitions. A transaction is admitted
    // only when every one of them admits, else it is throttled whole, as one request.
    if (r.request.type == OperationType::BatchGetItem || r.request.type == OperationType::BatchWriteItem
        || r.request.type == OperationType::TransactGetItems || r.request.type == OperationType::TransactWriteItems) {
        for (const auto& key : batchKeys(r.request)) {
            const std::uint64_t hash = partitionHash(encodeKeyValue(key.at(pkName)));
            touched.push_back(t.capacity->partitionIndexForHash(hash));
        }
    } else if (r.request.type == OperationType::Scan) {
        const auto& scan = std::get<ScanRequest>(r.request.request);
        std::uint64_t hash = 0;
        if (scan.exclusiveStartKey)
            hash = partitionHash(encodeKeyValue(scan.exclusiveStartKey->at(pkName)));
        touched.push_back(t.capacity->partitionIndexForHash(hash));
    } else if (auto pk = routingKey(r.request, partitionKeyOf(t).type)) {
        touched.push_back(t.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(*pk))));
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (std::size_t p : touched)
        admitted = admitted && t.capacity->admit(p, d, now);
    // GSI back-pressure: a base-table write the table admits is still throttled when a GSI
    // whose entry it changes cannot take the write (reference A2).
    std::vector<std::size_t> refusedIndexes;
    if (admitted && d == Dimension::Write && !w.spec->index)
        admitted = admitGlobalIndexes(w.table, r.request, refusedIndexes);

    const std::string key = keyLabel(r.request);
    auto& hot = t.keys[key];
    hot.key = key;
    ++hot.requests;
    for (std::size_t p : touched)
        ++t.heat[t.capacity->partition(p).partitionId].keyCounts[key];

    if (!admitted) {
        // A refused request is throttled at once and consumes nothing (reference A3).
        ++t.minuteThrottled[d];
        ++hot.throttled;
        if (d == Dimension::Read)
            ++t.result.throttledRead;
        else
            ++t.result.throttledWrite;
        for (std::size_t p : touched)
            ++t.partitionMinute[t.capacity->partition(p).partitionId].throttled[d];
        // Demand for on-demand growth: the units the request would have needed.
        const double units = d == Dimension::Read ? readUnits(std::max<std::int64_t>(1, r.request.itemSizeBytes), Consistency::Strong)
                                        : static_cast<double>(writeUnits(r.request.itemSizeBytes));
        t.minuteDemand[d] += units;
        if (localIndex) {
            ++localIndex->minuteThrottled[d];
            ++localIndex->result.throttledRead;
        }
        if (clientGivesUp(scenario.client, r.attempts)) {
            ++t.minuteFailed[d];
            if (d == Dimension::Read)
                ++t.result.failedRead;
            else
                ++t.result.failedWrite;
            r.active = false;
            freeSlots.push_back(slot);
            return;
        }
        // Exponential backoff with full jitter, in virtual time.
        queue.schedule(now + retryDelay(scenario.client, r.attempts, clientRng), EventClass::Request, QueuedKind::Retry, slot);
        return;
    }
    const bool multiKey = isMultiKey(r.request.type);
    // Index reads always run: their keys are index values, not the sampled table keys.
    const bool runInEngine = multiKey || w.spec->index || keySampled(r.request.partitionKeyIndex);
    // The engine's clock is the virtual clock: WriteChange records carry the simulated time.
    if (Status s = engine->advanceTime(now); !s) {
        // The engine's own background work failed (nothing a request did): the run stops.
        engineFailed(s);
        return;
    }
    const Status outcome = runInEngine ? execute(r, base) : meterWithoutEngine(r, base);
    if (!outcome) {
        requestFailed(t, r, outcome); // counted where its request and throttles are
        r.active = false;
        freeSlots.push_back(slot);
        return;
    }
    // Service latency (model.latency), after which the request completes.
    const bool read = d == Dimension::Read;
    const double median = static_cast<double>(read ? scenario.model.latency.readMedian : scenario.model.latency.writeMedian);
    const double sigma = read ? scenario.model.latency.readSigma : scenario.model.latency.writeSigma;
    const auto service = static_cast<SimTime>(std::llround(latencyRng.lognormal(median, sigma)));
    recordLatency(t, r, now + service);
    r.active = false;
    freeSlots.push_back(slot);
}

bool Simulator::Impl::admitGlobalIndexes(std::size_t table, const GeneratedRequest& g, std::vector<std::size_t>& refused)
{
    std::vector<std::size_t> indexes;
    for (std::size_t i = scenario.tables.size(); i < tables.size(); ++i)
        if (tables[i].owner == table && !tables[i].deleted && tables[i].isGlobalIndex())
            indexes.push_back(i);
    if (indexes.empty())
        return true;
    const TableRuntime& base = tables[table];
    // The rule (a pre-check, since the entries a write changes are known only after it runs):
    // for every item the request writes, the item before (read from the engine, free of charge)
    // and after (the generated item, or the old item with the update's SET values) are mapped
    // through each GSI's key; every GSI partition an image with the whole index key falls in
    // must admit a write. An UpdateItem that changes neither the GSI's key nor an attribute it
    // projects leaves its entry alone and is not checked against it; a PutItem always is.
    struct Image {
        std::optional<Item> before;
        std::optional<Item> after;
        std::set<std::string> changed; // UpdateItem: the attributes it sets
        bool update = false;
    };
    std::vector<Image> images;
    auto current = [&](const Item& key) -> std::optional<Item> {
        GetItemRequest get;
        get.tableName = base.spec->name;
        get.key = key;
        get.consistentRead = true;
        GetItemResponse response = engine->getItem(get);
        // The request's own key: an error other than the store's resurfaces when it runs.
        if (response.status.is(error::kInternalServerError))
            engineFailed(response.status);
        return std::move(response.item);
    };
    auto keyOf = [&](const Item& item) {
        Item key;
        key[base.spec->partitionKey.name] = item.at(base.spec->partitionKey.name);
        if (base.spec->sortKey)
            key[base.spec->sortKey->name] = item.at(base.spec->sortKey->name);
        return key;
    };
    if (const auto* put = std::get_if<PutItemRequest>(&g.request)) {
        images.push_back({ current(keyOf(put->item)), put->item, {}, false });
    } else if (const auto* update = std::get_if<UpdateItemRequest>(&g.request)) {
        Image image;
        image.update = true;
        image.before = current(update->key);
        Item after = image.before.value_or(update->key);
        // The generator writes "SET p = :p, #u0 = :u0, ...".
        const auto& values = update->expressionAttributes.values;
        if (values && values->count(":p")) {
            after[kPayloadAttribute] = values->at(":p");
            image.changed.insert(kPayloadAttribute);
        }
        if (update->expressionAttributes.names && values)
            for (const auto& [alias, name] : *update->expressionAttributes.names) {
                const auto value = values->find(":" + alias.substr(1));
                if (value != values->end()) {
                    after[name] = value->second;
                    image.changed.insert(name);
                }
            }
        image.after = std::move(after);
        images.push_back(std::move(image));
    } else if (const auto* erase = std::get_if<DeleteItemRequest>(&g.request)) {
        images.push_back({ current(erase->key), std::nullopt, {}, false });
    } else if (const auto* batch = std::get_if<BatchWriteItemRequest>(&g.request)) {
        for (const auto& [name, writes] : batch->requestItems)
            for (const auto& w : writes)
                images.push_back({ current(w.isPut ? keyOf(w.item) : w.item),
                    w.isPut ? std::optional<Item>(w.item) : std::nullopt, {}, false });
    } else if (const auto* transaction = std::get_if<TransactWriteItemsRequest>(&g.request)) {
        // The generator writes Puts only.
        for (const auto& action : transaction->actions)
            if (action.type == TransactWriteAction::Type::Put)
                images.push_back({ current(keyOf(action.item)), action.item, {}, false });
    }
    bool admitted = true;
    for (std::size_t i : indexes) {
        TableRuntime& gsi = tables[i];
        const IndexSpec& spec = *gsi.indexSpec;
        std::vector<std::size_t> partitions;
        auto mapped = [&](const std::optional<Item>& item) -> std::optional<std::size_t> {
            if (!item)
                return std::nullopt;
            const auto pk = item->find(spec.partitionKey.name);
            if (pk == item->end() || !pk->second.is(spec.partitionKey.type))
                return std::nullopt; // sparse: no entry
            if (spec.sortKey) {
                const auto sk = item->find(spec.sortKey->name);
                if (sk == item->end() || !sk->second.is(spec.sortKey->type))
                    return std::nullopt;
            }
            return gsi.capacity->partitionIndexForHash(partitionHash(encodeKeyValue(pk->second)));
        };
        for (const auto& image : images) {
            if (image.update) {
                bool touches = spec.projection == ProjectionType::All || image.changed.count(spec.partitionKey.name) != 0
                    || (spec.sortKey && image.changed.count(spec.sortKey->name) != 0);
                for (const auto& name : spec.nonKeyAttributes)
                    touches = touches || image.changed.count(name) != 0;
                if (!touches)
                    continue;
            }
            for (const auto& p : { mapped(image.before), mapped(image.after) })
                if (p)
                    partitions.push_back(*p);
        }
        if (partitions.empty())
            continue;
        std::sort(partitions.begin(), partitions.end());
        partitions.erase(std::unique(partitions.begin(), partitions.end()), partitions.end());
        ++gsi.minuteRequests[Dimension::Write];
        ++gsi.result.requestsWrite;
        bool ok = true;
        for (std::size_t p : partitions)
            ok = gsi.capacity->admit(p, Dimension::Write, now) && ok;
        if (ok)
            continue;
        admitted = false;
        refused.push_back(i);
        // A throttle event on the index (reference A3: counted on the table and each index).
        ++gsi.minuteThrottled[Dimension::Write];
        ++gsi.result.throttledWrite;
        for (std::size_t p : partitions)
            ++gsi.partitionMinute[gsi.capacity->partition(p).partitionId].throttled[Dimension::Write];
        gsi.minuteDemand[Dimension::Write] += static_cast<double>(writeUnits(g.itemSizeBytes));
    }
    return admitted;
}

Status Simulator::Impl::execute(PendingRequest& r, TableRuntime& t)
{
    const Dimension d = dimensionOf(r.request.type);
    const std::size_t partitionsBefore = engine->table(t.spec->name)->partitions.size();
    // What the engine answered; consumed capacity is charged even for a refused request (a
    // failed condition or a cancelled transaction consumes units; a refused request reports 0).
    const Status outcome = std::visit(
        [&](auto& request) -> Status {
            using T = std::decay_t<decltype(request)>;
            auto charge = [&](const auto& response) {
                chargeConsumed(t, response.consumed, d);
                return response.status;
            };
            auto chargeEach = [&](const auto& response) {
                for (const auto& c : response.consumed)
                    chargeConsumed(t, c, d);
                return response.status;
            };
            if constexpr (std::is_same_v<T, GetItemRequest>)
                return charge(engine->getItem(request));
            else if constexpr (std::is_same_v<T, PutItemRequest>)
                return charge(engine->putItem(request));
            else if constexpr (std::is_same_v<T, UpdateItemRequest>)
                return charge(engine->updateItem(request));
            else if constexpr (std::is_same_v<T, DeleteItemRequest>)
                return charge(engine->deleteItem(request));
            else if constexpr (std::is_same_v<T, QueryRequest>)
                return charge(engine->query(request));
            else if constexpr (std::is_same_v<T, ScanRequest>) {
                auto response = engine->scan(request);
                // A page over a sample reads 1/r times fewer bytes than over the whole table.
                if (weight != 1.0)
                    for (auto& p : response.consumed.partitions)
                        p.read *= weight;
                chargeConsumed(t, response.consumed, d);
                if (response.status)
                    workloads[r.workload].generator->noteScanResult(response.lastEvaluatedKey);
                return response.status;
            } else if constexpr (std::is_same_v<T, BatchGetItemRequest>) {
                if (weight != 1.0)
                    return meterBatch(r, t);
                return chargeEach(engine->batchGetItem(request));
            } else if constexpr (std::is_same_v<T, BatchWriteItemRequest>) {
                if (weight != 1.0)
                    return meterBatch(r, t);
                return chargeEach(engine->batchWriteItem(request));
            } else if constexpr (std::is_same_v<T, TransactGetItemsRequest>) {
                if (weight != 1.0)
                    return meterTransaction(r, t);
                return chargeEach(engine->transactGetItems(request));
            } else if constexpr (std::is_same_v<T, TransactWriteItemsRequest>) {
                if (weight != 1.0)
                    return meterTransaction(r, t);
                // Consumed (doubled, index upkeep single) is charged even for a cancelled one.
                return chargeEach(engine->transactWriteItems(request, now));
            } else
                static_assert(sizeof(T) == 0, "every request type the generator makes runs here");
        },
        r.request.request);
    if (engine->table(t.spec->name)->partitions.size() != partitionsBefore)
        syncPartitions(t, true);
    return outcome;
}

void Simulator::Impl::requestFailed(TableRuntime& t, const PendingRequest& r, const Status& status)
{
    if (status.is(error::kInternalServerError)) {
        engineFailed(status);
        return;
    }
    const Dimension d = dimensionOf(r.request.type);
    ++t.minuteFailed[d];
    if (d == Dimension::Read)
        ++t.result.failedRead;
    else
        ++t.result.failedWrite;
    if (t.failureTypes.insert(status.type()).second)
        event(t.name, EventKind::RequestFailed, RequestFailure { operationName(r.request.type), status.type(), status.message() });
}

void Simulator::Impl::chargeConsumed(TableRuntime& t, const ConsumedCapacity& consumed, Dimension d)
{
    for (const auto& p : consumed.partitions)
        chargePartition(t, p.partitionId, d, d == Dimension::Read ? p.read : p.write);
    if (consumed.globalSecondaryIndexes.empty() && consumed.localSecondaryIndexes.empty())
        return;
    const std::size_t table = t.self;
    // LSI units are already in the table's partitions (reference A2); the LSI keeps its figures.
    for (const auto& [name, units] : consumed.localSecondaryIndexes)
        if (const auto i = findIndexRuntime(table, name)) {
            tables[*i].result.consumedRead += units.read;
            tables[*i].result.consumedWrite += units.write;
            tables[*i].minuteConsumed[Dimension::Read] += units.read;
            tables[*i].minuteConsumed[Dimension::Write] += units.write;
        }
    // GSI units go to the GSI's own partitions and capacity.
    for (const auto& p : consumed.indexPartitions)
        if (const auto i = findIndexRuntime(table, p.indexName)) {
            if (p.read > 0)
                chargePartition(tables[*i], p.partitionId, Dimension::Read, p.read);
            if (p.write > 0)
                chargePartition(tables[*i], p.partitionId, Dimension::Write, p.write);
        }
}

void Simulator::Impl::chargePartition(TableRuntime& t, std::int64_t partitionId, Dimension d, double units)
{
    const std::size_t index = t.capacity->partitionIndexForId(partitionId);
    t.capacity->charge(index, d, units, now);
    t.partitionMinute[partitionId].consumed[d] += units;
    t.minuteConsumed[d] += units;
    t.minuteDemand[d] += units;
    if (d == Dimension::Read)
        t.result.consumedRead += units;
    else
        t.result.consumedWrite += units;
    if (t.mode == BillingMode::PayPerRequest) {
        const ClassPrices& prices = options.pricing.prices(t.tableClass);
        if (d == Dimension::Read)
            t.result.cost.read += units * prices.onDemandReadPerMillion / 1e6;
        else
            t.result.cost.write += units * prices.onDemandWritePerMillion / 1e6;
    }
}

void Simulator::Impl::recordLatency(TableRuntime& t, const PendingRequest& r, SimTime completion)
{
    const double ms = static_cast<double>(completion - r.firstArrival) / 1000.0;
    const char* cls = dimensionOf(r.request.type) == Dimension::Read ? "read" : "write";
    for (const std::string& name : { std::string(cls), std::string(operationName(r.request.type)) }) {
        auto it = latency.find(name);
        if (it == latency.end())
            it = latency.emplace(name, makeLatencyAccumulator()).first;
        it->second(ms);
        ++latencyCount[name];
    }
    t.minuteLatency(ms);
    ++t.minuteLatencyCount;
}

} // namespace capsim

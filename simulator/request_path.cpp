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

// What a Query or Scan page answered, for the query cache (reference A10).
void capturePage(DaxCapture& capture, const ReadPageResponse& response)
{
    capture.pageAnswered = true;
    capture.pageCount = response.count;
    capture.pageBytes = 0;
    for (const auto& item : response.items)
        capture.pageBytes += itemSizeBytes(item);
    capture.lastEvaluatedKey = response.lastEvaluatedKey;
}

// The keys a write request changes (the item of a put carries its key).
std::vector<Item> writtenKeys(const GeneratedRequest& g)
{
    if (const auto* put = std::get_if<PutItemRequest>(&g.request))
        return { put->item };
    if (const auto* update = std::get_if<UpdateItemRequest>(&g.request))
        return { update->key };
    if (const auto* erase = std::get_if<DeleteItemRequest>(&g.request))
        return { erase->key };
    return batchKeys(g); // BatchWriteItem, TransactWriteItems
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
    // The table's DAX cluster first (reference A10): a hit or a DAX throttle ends the attempt here.
    DaxAttempt dax;
    if (base.dax && w.spec->dax && daxFront(slot, t, dax))
        return;
    // A BatchGetItem narrowed to its missed keys is put back however the attempt ends.
    struct DaxRestore {
        Impl& impl;
        PendingRequest& request;
        DaxAttempt& attempt;
        ~DaxRestore() { impl.daxRestore(request, attempt); }
    } daxRestoreGuard { *this, r, dax };
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
    DaxCapture daxAnswer;
    const double daxUnitsBefore = base.result.consumedRead + (&t != &base ? t.result.consumedRead : 0.0);
    if (dax.kind == DaxAttempt::Kind::Miss)
        daxCapture = &daxAnswer;
    const Status outcome = runInEngine ? execute(r, base) : meterWithoutEngine(r, base);
    daxCapture = nullptr;
    if (outcome && base.dax && d == Dimension::Write)
        daxNoteUnsampledWrites(base, r.request);
    if (outcome && dax.kind != DaxAttempt::Kind::None) {
        const double units = base.result.consumedRead + (&t != &base ? t.result.consumedRead : 0.0) - daxUnitsBefore;
        daxComplete(r, base, daxAnswer, dax, units);
    }
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
    auto service = static_cast<SimTime>(std::llround(latencyRng.lognormal(median, sigma)));
    if (dax.kind != DaxAttempt::Kind::None)
        service += daxLatency(); // through DAX: its own latency before the table's
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
            if constexpr (std::is_same_v<T, GetItemRequest>) {
                auto response = engine->getItem(request);
                if (daxCapture && response.status) {
                    daxCapture->itemAnswered = true;
                    daxCapture->itemSize = response.item ? std::optional(itemSizeBytes(*response.item)) : std::nullopt;
                }
                return charge(response);
            }
            else if constexpr (std::is_same_v<T, PutItemRequest>)
                return charge(engine->putItem(request));
            else if constexpr (std::is_same_v<T, UpdateItemRequest>)
                return charge(engine->updateItem(request));
            else if constexpr (std::is_same_v<T, DeleteItemRequest>)
                return charge(engine->deleteItem(request));
            else if constexpr (std::is_same_v<T, QueryRequest>) {
                auto response = engine->query(request);
                if (daxCapture && response.status)
                    capturePage(*daxCapture, response);
                return charge(response);
            }
            else if constexpr (std::is_same_v<T, ScanRequest>) {
                auto response = engine->scan(request);
                // A page over a sample reads 1/r times fewer bytes than over the whole table.
                if (weight != 1.0)
                    for (auto& p : response.consumed.partitions)
                        p.read *= weight;
                chargeConsumed(t, response.consumed, d);
                if (daxCapture && response.status)
                    capturePage(*daxCapture, response);
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
    if (fluidSample) {
        fluidSampleUnits += units; // the flows carry them (fluid_flows.cpp)
        return;
    }
    const std::size_t index = t.capacity->partitionIndexForId(partitionId);
    t.capacity->charge(index, d, units, now);
    recordConsumed(t, partitionId, d, units);
}

void Simulator::Impl::recordConsumed(TableRuntime& t, std::int64_t partitionId, Dimension d, double units)
{
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

// ---- DAX (reference A10) ----

namespace capsim {

Status Simulator::Impl::setUpDax()
{
    daxRng = Rng(scenario.seed, kStreamDax);
    bool any = false;
    for (std::size_t i = 0; i < scenarioTableCount && i < scenario.tables.size(); ++i) {
        const TableSpec& spec = scenario.tables[i];
        if (!spec.dax)
            continue;
        const std::string path = "tables[" + std::to_string(i) + "].dax.nodeType";
        const auto type = daxNodeType(spec.dax->nodeType);
        if (!type)
            return Status::validation(path + ": must be a DAX node type: " + daxNodeTypeList());
        const auto price = daxNodeHourPrice(options.pricing, spec.dax->nodeType);
        if (!price)
            return Status(price.status().type(), path + ": " + price.status().message());
        tables[i].dax = std::make_unique<DaxCluster>(*spec.dax, *type, scenario.model);
        tables[i].result.uses.dax = true;
        any = true;
    }
    if (!any)
        return Status::ok();
    // Every change to a table with DAX advances its key's version, whoever made it: DAX's own
    // writes (which then refresh the entry), other workloads, stream consumers, TTL deletions.
    daxSubscription = engine->subscribe([this](const WriteChange& change) {
        const auto it = tableIndex.find(change.tableName);
        if (it == tableIndex.end() || it->second >= tables.size() || !tables[it->second].dax)
            return;
        const TableRuntime& t = tables[it->second];
        t.dax->noteChange(daxItemKey(change.key, t.spec->partitionKey, t.spec->sortKey), daxPartitionKey(change.key, t.spec->partitionKey));
    });
    return Status::ok();
}

SimTime Simulator::Impl::daxLatency()
{
    const double median = static_cast<double>(scenario.model.daxLatencyMedian);
    return static_cast<SimTime>(std::llround(daxRng.lognormal(median, scenario.model.daxLatencySigma)));
}

bool Simulator::Impl::daxFront(std::size_t slot, TableRuntime& t, DaxAttempt& a)
{
    PendingRequest& r = pending[slot];
    WorkloadRuntime& w = workloads[r.workload];
    TableRuntime& base = tables[w.table];
    DaxCluster& c = *base.dax;
    a.cluster = &c;
    GeneratedRequest& g = r.request;
    const KeyElement& pk = base.spec->partitionKey;
    const auto& sk = base.spec->sortKey;
    if (dimensionOf(g.type) == Dimension::Write) {
        // Write-through: to the primary, then the table (reference A10).
        a.kind = DaxAttempt::Kind::Write;
        if (c.admitWrite(daxRequestCost(DaxWork::Write, g.itemSizeBytes), now))
            return false;
        daxThrottled(slot, t);
        return true;
    }
    if (g.strong || g.type == OperationType::TransactGetItems) {
        // Strongly consistent reads and TransactGetItems pass through uncached (Part C 11).
        a.kind = DaxAttempt::Kind::PassThrough;
        if (c.admitRead(daxRequestCost(DaxWork::Miss, 0), now))
            return false;
        daxThrottled(slot, t);
        return true;
    }
    // A hit: answered by a node, no read units, never at the table's admission.
    auto serve = [&](std::int64_t hits, std::int64_t bytes, double units, std::int64_t stale) {
        if (!c.admitRead(daxRequestCost(DaxWork::Hit, bytes), now)) {
            daxThrottled(slot, t);
            return false;
        }
        ++r.attempts;
        c.summary.hits += hits;
        c.minuteHits += hits;
        c.summary.staleReads += stale;
        c.minuteStale += stale;
        c.summary.offloadedReadUnits += units;
        recordLatency(t, r, now + daxLatency());
        r.active = false;
        freeSlots.push_back(slot);
        return true;
    };
    double missCost = daxRequestCost(DaxWork::Miss, 0);
    switch (g.type) {
    case OperationType::GetItem: {
        const auto& get = std::get<GetItemRequest>(g.request);
        const std::string itemKey = daxItemKey(get.key, pk, sk);
        if (const auto* e = c.lookup(daxItemCacheKey(itemKey, get.projectionExpression), false, now)) {
            serve(1, e->bytes, e->readUnits, e->version != c.itemVersion(itemKey) ? 1 : 0);
            return true;
        }
        a.missedKeys.push_back(get.key);
        break;
    }
    case OperationType::Query:
    case OperationType::Scan: {
        // A Query's entry follows its item collection's version; an index query's or a Scan
        // page's, the table's (any change may change the page).
        const bool scan = g.type == OperationType::Scan;
        std::optional<std::string> partition;
        if (!scan && !std::get<QueryRequest>(g.request).indexName)
            if (auto value = routingKey(g, pk.type))
                partition = encodeKeyValue(*value);
        a.queryKey = scan ? daxQueryCacheKey(std::get<ScanRequest>(g.request)) : daxQueryCacheKey(std::get<QueryRequest>(g.request));
        a.queryVersion = partition ? c.partitionVersion(*partition) : c.tableVersion();
        if (const auto* e = c.lookup(a.queryKey, true, now)) {
            const std::optional<Item> lastEvaluatedKey = e->lastEvaluatedKey;
            if (serve(1, e->bytes, e->readUnits, e->version != a.queryVersion ? 1 : 0) && scan)
                w.generator->noteScanResult(lastEvaluatedKey);
            return true;
        }
        break;
    }
    case OperationType::BatchGetItem: {
        // Each key from the item cache when it holds it; the others in one BatchGetItem.
        auto& batch = std::get<BatchGetItemRequest>(g.request);
        BatchGetItemRequest narrowed;
        std::int64_t hits = 0, hitBytes = 0, stale = 0;
        double units = 0;
        for (const auto& [table, entry] : batch.requestItems) {
            KeysAndAttributes kept = entry;
            kept.keys.clear();
            for (const auto& key : entry.keys) {
                const std::string itemKey = daxItemKey(key, pk, sk);
                if (const auto* e = c.lookup(daxItemCacheKey(itemKey, entry.projectionExpression), false, now)) {
                    ++hits;
                    hitBytes += e->bytes;
                    units += e->readUnits;
                    stale += e->version != c.itemVersion(itemKey) ? 1 : 0;
                } else {
                    kept.keys.push_back(key);
                    a.missedKeys.push_back(key);
                }
            }
            if (!kept.keys.empty())
                narrowed.requestItems.emplace_back(table, std::move(kept));
        }
        if (a.missedKeys.empty()) {
            serve(hits, hitBytes, units, stale);
            return true;
        }
        a.batchHits = hits;
        a.batchStale = stale;
        a.batchHitUnits = units;
        if (hits > 0) {
            missCost += daxRequestCost(DaxWork::Hit, hitBytes);
            a.original = std::move(batch);
            batch = std::move(narrowed);
            a.swapped = true;
        }
        break;
    }
    default: break;
    }
    a.kind = DaxAttempt::Kind::Miss;
    if (c.admitRead(missCost, now))
        return false;
    daxRestore(r, a);
    daxThrottled(slot, t);
    return true;
}

void Simulator::Impl::daxRestore(PendingRequest& r, DaxAttempt& a)
{
    if (!a.swapped)
        return;
    r.request.request = std::move(*a.original);
    a.original.reset();
    a.swapped = false;
}

void Simulator::Impl::daxThrottled(std::size_t slot, TableRuntime& t)
{
    // ThrottlingException from the node (HTTP 400): a throttled request of the table's, retried
    // per the client model like the table's own throttles (reference A10).
    PendingRequest& r = pending[slot];
    const Dimension d = dimensionOf(r.request.type);
    ++r.attempts;
    ++t.minuteRequests[d];
    ++t.minuteThrottled[d];
    if (d == Dimension::Read) {
        ++t.result.requestsRead;
        ++t.result.throttledRead;
    } else {
        ++t.result.requestsWrite;
        ++t.result.throttledWrite;
    }
    ++tables[workloads[r.workload].table].dax->summary.throttled;
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
    queue.schedule(now + retryDelay(scenario.client, r.attempts, clientRng), EventClass::Request, QueuedKind::Retry, slot);
}

std::optional<std::int64_t> Simulator::Impl::daxItemState(TableRuntime& base, const Item& key)
{
    const std::int64_t index = keyIndexOf(key.at(base.spec->partitionKey.name));
    if (keySampled(index)) {
        // The engine holds the key: read it (free; what the table answers now).
        GetItemRequest get;
        get.tableName = base.spec->name;
        get.key[base.spec->partitionKey.name] = key.at(base.spec->partitionKey.name);
        if (base.spec->sortKey)
            if (const auto sk = key.find(base.spec->sortKey->name); sk != key.end())
                get.key[base.spec->sortKey->name] = sk->second;
        get.consistentRead = true;
        const GetItemResponse response = engine->getItem(get);
        if (response.status.is(error::kInternalServerError))
            engineFailed(response.status);
        if (!response.status || !response.item)
            return std::nullopt;
        return itemSizeBytes(*response.item);
    }
    std::int64_t sortIndex = 0;
    if (base.spec->sortKey)
        if (const auto sk = key.find(base.spec->sortKey->name); sk != key.end())
            sortIndex = std::max<std::int64_t>(0, keyIndexOf(sk->second));
    const std::int64_t size = knownSize(base, index, sortIndex, keyLabelOf(index));
    return size > 0 ? std::optional(size) : std::nullopt;
}

void Simulator::Impl::daxNoteUnsampledWrites(TableRuntime& base, const GeneratedRequest& g)
{
    if (fidelity.mode != FidelitySpec::Mode::Sampled || !base.dax)
        return;
    for (const auto& key : writtenKeys(g)) {
        const auto pk = key.find(base.spec->partitionKey.name);
        if (pk != key.end() && !keySampled(keyIndexOf(pk->second)))
            base.dax->noteChange(daxItemKey(key, base.spec->partitionKey, base.spec->sortKey), daxPartitionKey(key, base.spec->partitionKey));
    }
}

void Simulator::Impl::daxComplete(PendingRequest& r, TableRuntime& base, const DaxCapture& answer, DaxAttempt& a, double missUnits)
{
    DaxCluster& c = *a.cluster;
    const KeyElement& pk = base.spec->partitionKey;
    const auto& sk = base.spec->sortKey;
    // An item entry as the table holds the key now, with the key's current version.
    auto storeItem = [&](const Item& key, const std::optional<std::string>& projection, std::optional<std::int64_t> size) {
        const std::string itemKey = daxItemKey(key, pk, sk);
        DaxCluster::Entry entry;
        entry.bytes = size.value_or(0);
        entry.readUnits = readUnits(std::max<std::int64_t>(1, entry.bytes), Consistency::Eventual); // a missing item: 1 byte
        entry.version = c.itemVersion(itemKey);
        c.store(daxItemCacheKey(itemKey, projection), false, std::move(entry), now);
        return size.value_or(0);
    };
    switch (a.kind) {
    case DaxAttempt::Kind::None: return;
    case DaxAttempt::Kind::PassThrough:
        ++c.summary.passThrough;
        ++c.minuteMisses;
        return;
    case DaxAttempt::Kind::Write: {
        // The table accepted the write: each written key's item entry is replaced (a delete
        // caches "not found"); query entries are left as they are (Part C 11).
        for (const auto& key : writtenKeys(r.request)) {
            const auto size = daxItemState(base, key);
            storeItem(key, std::nullopt, size);
            if (r.request.type == OperationType::TransactWriteItems) {
                // DAX reads each item back transactionally: 2 RCU per 4 KB (Part C 11).
                const auto hash = partitionHash(encodeKeyValue(key.at(pk.name)));
                const std::int64_t partitionId = base.capacity->partition(base.capacity->partitionIndexForHash(hash)).partitionId;
                chargePartition(base, partitionId, Dimension::Read, transactionalReadUnits(std::max<std::int64_t>(1, size.value_or(0))));
            }
        }
        return;
    }
    case DaxAttempt::Kind::Miss: break;
    }
    std::int64_t bytes = 0;
    if (!a.queryKey.empty()) {
        // The page as the table answered it, negative (empty) results included.
        DaxCluster::Entry entry;
        entry.readUnits = missUnits;
        entry.version = a.queryVersion;
        if (answer.pageAnswered) {
            entry.bytes = answer.pageBytes;
            entry.lastEvaluatedKey = answer.lastEvaluatedKey;
        } else {
            // Metered without the engine (sampled fidelity): the bytes its eventual units stand for.
            entry.bytes = static_cast<std::int64_t>(std::llround(missUnits / 0.5 * 4096));
        }
        bytes = entry.bytes;
        c.store(a.queryKey, true, std::move(entry), now);
        ++c.summary.misses;
        ++c.minuteMisses;
    } else {
        const std::optional<std::string> projection = r.request.type == OperationType::GetItem
            ? std::get<GetItemRequest>(r.request.request).projectionExpression
            : std::optional<std::string>();
        for (const auto& key : a.missedKeys) {
            std::optional<std::int64_t> size;
            if (answer.itemAnswered)
                size = answer.itemSize;
            else
                size = daxItemState(base, key);
            // A BatchGetItem's keys carry their table entry's projection.
            std::optional<std::string> keyProjection = projection;
            if (const auto* batch = std::get_if<BatchGetItemRequest>(&r.request.request); batch && !batch->requestItems.empty())
                keyProjection = batch->requestItems.front().second.projectionExpression;
            bytes += storeItem(key, keyProjection, size);
        }
        const auto missed = static_cast<std::int64_t>(a.missedKeys.size());
        c.summary.misses += missed;
        c.minuteMisses += missed;
        c.summary.hits += a.batchHits;
        c.minuteHits += a.batchHits;
        c.summary.staleReads += a.batchStale;
        c.minuteStale += a.batchStale;
        c.summary.offloadedReadUnits += a.batchHitUnits;
    }
    // The rest of the miss's work, now that its size is known.
    c.chargeLastNode(daxRequestCost(DaxWork::Miss, bytes) - daxRequestCost(DaxWork::Miss, 0));
}

// The read units the hits offloaded since the last call, priced in the table's mode and class
// then (a mode switch prices each part in its own mode).
void Simulator::Impl::priceOffloadedReads(TableRuntime& t)
{
    DaxCluster& c = *t.dax;
    c.summary.offloadedReadCost += daxOffloadedReadCost(
        options.pricing, t.mode, t.tableClass, c.summary.offloadedReadUnits - c.pricedOffloadedUnits);
    c.pricedOffloadedUnits = c.summary.offloadedReadUnits;
}

void Simulator::Impl::daxMinute(TableRuntime& t, MinuteRow& row)
{
    if (!t.dax)
        return;
    DaxCluster& c = *t.dax;
    row.daxHits = c.minuteHits;
    row.daxMisses = c.minuteMisses;
    row.daxStaleReads = c.minuteStale;
    row.daxCacheBytes = c.cacheBytes();
    row.daxNodeUtilisation = c.takeMinuteUtilisation(std::max<SimTime>(kSimSecond, now - row.minute * kSimMinute));
    c.minuteHits = c.minuteMisses = c.minuteStale = 0;
    priceOffloadedReads(t);
    // Node-hours accrue by the started hour (reference A10).
    c.summary.nodeHours = daxNodeHours(secondsOf(now), c.summary.nodes);
    if (const auto price = daxNodeHourPrice(options.pricing, c.spec().nodeType))
        t.result.cost.dax = c.summary.nodeHours * *price;
    t.result.dax = c.summary; // the run so far, for progressive snapshots
}

void Simulator::Impl::finishDax(TableRuntime& t)
{
    if (!t.dax)
        return;
    DaxCluster& c = *t.dax;
    priceOffloadedReads(t);
    c.summary.nodeHours = daxNodeHours(secondsOf(scenario.duration), c.summary.nodes);
    if (const auto price = daxNodeHourPrice(options.pricing, c.spec().nodeType))
        t.result.cost.dax = c.summary.nodeHours * *price;
    t.result.dax = c.summary;
}

} // namespace capsim

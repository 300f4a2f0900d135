// TransactWriteItems and TransactGetItems (reference C 2.4).

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/index_entries.h"
#include "engine/item_codec.h"
#include "engine/metering.h"
#include "engine/json_codec.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>
#include <tuple>

namespace capsim {

using namespace engine_internal;

namespace {

constexpr std::size_t kTransactMaxActions = 100;
constexpr std::int64_t kTransactMaxBytes = 4 * 1024 * 1024;
constexpr EngineTime kIdempotencyWindow = 10 * 60 * kMicrosPerSecond;
constexpr const char* kTransactWriteOperation = "TransactWriteItems";

// The request as a canonical text (without its token): two requests are the same request for
// idempotency when their texts are equal.
std::string transactionFingerprint(const TransactWriteItemsRequest& request)
{
    boost::json::array actions;
    for (const auto& a : request.actions) {
        boost::json::object o;
        o["type"] = static_cast<int>(a.type);
        o["table"] = a.tableName;
        o["item"] = itemToJson(a.item);
        if (a.updateExpression)
            o["update"] = *a.updateExpression;
        if (a.conditionExpression)
            o["condition"] = *a.conditionExpression;
        if (a.expressionAttributes.names) {
            boost::json::object names;
            for (const auto& [placeholder, name] : *a.expressionAttributes.names)
                names[placeholder] = name;
            o["names"] = std::move(names);
        }
        if (a.expressionAttributes.values)
            o["values"] = itemToJson(*a.expressionAttributes.values);
        o["returnOld"] = a.returnOldOnConditionFailure;
        actions.push_back(std::move(o));
    }
    return boost::json::serialize(actions);
}
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


TransactWriteItemsResponse Engine::transactWriteItems(const TransactWriteItemsRequest& request, EngineTime now)
{
    TransactWriteItemsResponse response;
    m_now = now;
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

    // A token is remembered for 10 minutes (reference C 2.4), in the database, so that it
    // outlives the process (one `capsim call` per request, a restarted server).
    const std::string fingerprint = request.clientRequestToken ? transactionFingerprint(request) : std::string();
    if (request.clientRequestToken) {
        auto remembered = m_store->findClientToken(kTransactWriteOperation, *request.clientRequestToken, now);
        if (!remembered)
            return fail(remembered.status());
        if (*remembered) {
            if ((*remembered)->fingerprint != fingerprint)
                return fail(Status(error::kIdempotentParameterMismatch,
                    "The request uses the same client token as a previous, but non-identical request (ClientRequestToken "
                        + *request.clientRequestToken + ")"));
            // A replay writes nothing; it consumes read units for reading the items instead
            // of write units (reference C 2.4), one strong read of each item as it is now. The
            // first response of a successful TransactWriteItems holds nothing but capacity.
            TransactWriteItemsResponse replay;
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
    std::vector<std::optional<std::string>> keyErrors(request.actions.size());
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
        // A key that does not fit the table cancels the transaction with a reason for that
        // action (ValidationError) rather than failing the request (issue 8).
        if (Status s = validateKey(p.table->key, action.item, action.type != Type::Put); !s) {
            keyErrors[i] = s.message();
            continue;
        }
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
        return fail(Status::validation("Transaction request size cannot exceed 4 MB (4194304 bytes); this request is "
            + std::to_string(aggregateBytes) + " bytes"));
    if (std::any_of(keyErrors.begin(), keyErrors.end(), [](const auto& e) { return e.has_value(); })) {
        std::string codes;
        for (std::size_t i = 0; i < keyErrors.size(); ++i) {
            CancellationReason reason;
            if (keyErrors[i]) {
                reason.code = "ValidationError";
                reason.message = *keyErrors[i];
            }
            codes += (codes.empty() ? "" : ", ") + reason.code;
            response.cancellationReasons.push_back(std::move(reason));
        }
        return fail(Status(error::kTransactionCanceled,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]"));
    }

    // One storage transaction: prepare (read and check every item), then commit (write them).
    std::map<std::string, TableState> savedTables;
    for (const auto& action : request.actions)
        if (!savedTables.count(action.tableName))
            savedTables.emplace(action.tableName, *findTable(action.tableName));
    auto restore = [&]() {
        // The in-memory state is restored whatever the rollback does (see ItemStore::rollback).
        m_store->rollback();
        discardChanges();
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
            // Only REMOVE actions on a missing item create nothing (as UpdateItem).
            if (!p.oldItem && p.update->onlyRemoves())
                continue;
            Item updated = p.oldItem.value_or(action.item);
            Status s = p.update->apply(updated, p.oldItem.has_value());
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

    const WriteOrigin origin { WriteCause::Transaction, "capsim-tx-" + std::to_string(m_nextTransactionId++),
        kTransactionalFactor };
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
        consumed.charge(partitionId, 0.0, transactionalWriteUnits(billed));
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
                t, action.item, oldItem, newItem, p.oldSize, p.existed, p.newSize, partitionIndex, &consumed, origin);
        if (!s) {
            restore();
            response.consumed.clear();
            return fail(s);
        }
    }
    Status committed = Status::ok();
    if (request.clientRequestToken)
        committed = m_store->putClientToken(kTransactWriteOperation, *request.clientRequestToken,
            ClientTokenRecord { fingerprint, "{}", now + kIdempotencyWindow });
    if (committed)
        committed = m_store->commit();
    if (!committed) {
        restore();
        response.consumed.clear();
        return fail(committed);
    }
    publishChanges();
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
                transactionalReadUnits(found ? size : 0), 0.0);
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

} // namespace capsim

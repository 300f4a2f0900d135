// The wire handlers of CreateTable, DescribeTable, DeleteTable, ListTables and UpdateTable.

#include "engine/wire/handlers.h"

#include "engine/json_codec.h"
#include "engine/wire/common.h"

#include <map>
#include <set>

namespace capsim::wire {

namespace {

using AttributeTypes = std::map<std::string, AttrType>;

std::string joinNames(const std::set<std::string>& names)
{
    std::string s;
    for (const auto& n : names)
        s += (s.empty() ? "" : ", ") + n;
    return s;
}

// AttributeDefinitions: name -> type (S, N or B), each name once.
Status attributeDefinitionsFrom(const json::value& definitions, AttributeTypes& defined)
{
    if (!definitions.is_array())
        return Fields::typeError(definitions, "List", "AttributeDefinitions");
    for (const auto& d : definitions.get_array()) {
        const auto* name = d.is_object() ? d.get_object().if_contains("AttributeName") : nullptr;
        const auto* type = d.is_object() ? d.get_object().if_contains("AttributeType") : nullptr;
        AttrType t;
        if (!name || !type || !name->is_string() || !type->is_string())
            return Status::validation("1 validation error detected: Value null at 'attributeDefinitions' failed to "
                                      "satisfy constraint: Member must not be null");
        if (!parseAttrTypeName(type->get_string(), t) || (t != AttrType::S && t != AttrType::N && t != AttrType::B))
            return Status::validation("1 validation error detected: Value '" + std::string(type->get_string())
                + "' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy "
                  "enum value set: [B, N, S]");
        if (!defined.emplace(std::string(name->get_string()), t).second)
            return Status::validation("Attribute Name is duplicated: " + std::string(name->get_string()));
    }
    return Status::ok();
}

// One KeySchema (the table's or an index's), its types resolved from AttributeDefinitions;
// the attribute names it uses are added to `used`.
Status keySchemaOf(const json::value& keySchema, const AttributeTypes& defined, KeySchema& schema,
    std::set<std::string>& used, const std::string& field)
{
    if (!keySchema.is_array())
        return Fields::typeError(keySchema, "List", field);
    const auto& elements = keySchema.get_array();
    if (elements.empty() || elements.size() > 2)
        return Status::validation("1 validation error detected: Value at '" + field
            + "' failed to satisfy constraint: Member must have length less than or equal to 2 and greater than or "
              "equal to 1");
    for (std::size_t i = 0; i < elements.size(); ++i) {
        const auto* name = elements[i].is_object() ? elements[i].get_object().if_contains("AttributeName") : nullptr;
        const auto* keyType = elements[i].is_object() ? elements[i].get_object().if_contains("KeyType") : nullptr;
        if (!name || !keyType || !name->is_string() || !keyType->is_string())
            return Status::validation("1 validation error detected: Value null at '" + field
                + "' failed to satisfy constraint: Member must not be null");
        const std::string attribute(name->get_string());
        // Name lengths are request validation: reported before any definition mismatch.
        CAPSIM_RETURN_IF_ERROR(
            validateKeyAttributeName(attribute, field + "." + std::to_string(i + 1) + ".member.attributeName"));
        const std::string_view kind(keyType->get_string().data(), keyType->get_string().size());
        if (kind != "HASH" && kind != "RANGE")
            return Status::validation("1 validation error detected: Value '" + std::string(kind) + "' at '" + field
                + ".member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
        if ((i == 0) != (kind == "HASH"))
            return Status::validation(i == 0 ? "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
                                             : "Too many hash keys specified.  All Dynamo DB tables must have exactly "
                                               "one hash key");
        auto it = defined.find(attribute);
        if (it == defined.end()) {
            std::set<std::string> names;
            for (const auto& [n, t] : defined)
                names.insert(n);
            return Status::validation("One or more parameter values were invalid: Some index key attributes are not "
                                      "defined in AttributeDefinitions. Keys: ["
                + attribute + "], AttributeDefinitions: [" + joinNames(names) + "]");
        }
        if (i == 1 && attribute == schema.partition.name)
            return Status::validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        KeyElement element { attribute, it->second };
        if (i == 0)
            schema.partition = element;
        else
            schema.sort = element;
        used.insert(attribute);
    }
    return Status::ok();
}

// The GlobalSecondaryIndexes / LocalSecondaryIndexes of CreateTable, or one Create of UpdateTable.
Status indexDefinitionFrom(const json::value& v, const AttributeTypes& defined, std::set<std::string>& used,
    const std::string& field, bool withThroughput, IndexDefinition& out)
{
    if (!v.is_object())
        return Fields::typeError(v, "Structure", field);
    Fields f(v);
    out.name = f.requiredString("IndexName");
    if (!f.ok())
        return f.status();
    const auto* keySchema = f.find("KeySchema");
    if (!keySchema)
        return Status::validation("1 validation error detected: Value null at '" + field
            + ".keySchema' failed to satisfy constraint: Member must not be null");
    CAPSIM_RETURN_IF_ERROR(keySchemaOf(*keySchema, defined, out.key, used, field + ".keySchema"));
    const auto* projection = f.find("Projection");
    if (!projection)
        return Status::validation("1 validation error detected: Value null at '" + field
            + ".projection' failed to satisfy constraint: Member must not be null");
    CAPSIM_RETURN_IF_ERROR(projectionFrom(*projection, field, out));
    if (withThroughput)
        readThroughput(f, out.readCapacity, out.writeCapacity);
    return f.status();
}

} // namespace

Status projectionFrom(const json::value& projection, const std::string& field, IndexDefinition& out)
{
    Fields p(projection);
    if (p.ok() && !p.find("ProjectionType"))
        return Status::validation("One or more parameter values were invalid: Unknown ProjectionType: null");
    out.projection = p.enumeration<ProjectionType>("ProjectionType",
                          { { "ALL", ProjectionType::All }, { "KEYS_ONLY", ProjectionType::KeysOnly },
                              { "INCLUDE", ProjectionType::Include } })
                         .value_or(ProjectionType::All);
    if (const auto* nonKey = p.find("NonKeyAttributes")) {
        if (!nonKey->is_array())
            return Fields::typeError(*nonKey, "List", field + ".Projection.NonKeyAttributes");
        std::vector<std::string> names;
        for (const auto& n : nonKey->get_array()) {
            if (!n.is_string())
                return Fields::typeError(n, "String", field + ".Projection.NonKeyAttributes");
            names.emplace_back(n.get_string());
            CAPSIM_RETURN_IF_ERROR(validateKeyAttributeName(names.back(),
                field + ".projection.nonKeyAttributes." + std::to_string(names.size()) + ".member"));
        }
        out.nonKeyAttributes = std::move(names);
    }
    return p.status();
}

Status createTableRequestFrom(Fields& f, CreateTableRequest& r, bool createTableOnly)
{
    r.tableName = requiredTableName(f);
    if (!f.ok())
        return f.status();
    const auto* keySchema = f.find("KeySchema");
    const auto* definitions = f.find("AttributeDefinitions");
    if (!keySchema)
        f.missing("KeySchema");
    else if (!definitions)
        f.missing("AttributeDefinitions");
    if (!f.ok())
        return f.status();
    AttributeTypes defined;
    std::set<std::string> used;
    if (Status s = attributeDefinitionsFrom(*definitions, defined); !s)
        return s;
    if (Status s = keySchemaOf(*keySchema, defined, r.keySchema, used, "keySchema"); !s)
        return s;
    bool hasIndexes = false;
    for (const bool global : { true, false }) {
        if (!global && !createTableOnly)
            continue;
        const char* name = global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes";
        const auto* list = f.find(name);
        if (!list)
            continue;
        if (!list->is_array())
            return Fields::typeError(*list, "List", name);
        if (list->get_array().empty())
            return Status::validation(
                std::string("One or more parameter values were invalid: List of ") + name + " is empty");
        hasIndexes = true;
        std::size_t i = 0;
        for (const auto& v : list->get_array()) {
            IndexDefinition definition;
            const std::string field = std::string(global ? "globalSecondaryIndexes." : "localSecondaryIndexes.")
                + std::to_string(++i) + ".member";
            if (Status s = indexDefinitionFrom(v, defined, used, field, global, definition); !s)
                return s;
            (global ? r.globalSecondaryIndexes : r.localSecondaryIndexes).push_back(std::move(definition));
        }
    }
    if (used.size() != defined.size()) {
        if (!hasIndexes)
            return Status::validation("One or more parameter values were invalid: Number of attributes in KeySchema "
                                      "does not exactly match number of attributes defined in AttributeDefinitions");
        std::set<std::string> names;
        for (const auto& [n, t] : defined)
            names.insert(n);
        return Status::validation("One or more parameter values were invalid: Some AttributeDefinitions are not used. "
                                  "AttributeDefinitions: ["
            + joinNames(names) + "], keys used: [" + joinNames(used) + "]");
    }
    r.billingMode = f.enumeration<BillingMode>("BillingMode",
                         { { "PROVISIONED", BillingMode::Provisioned }, { "PAY_PER_REQUEST", BillingMode::PayPerRequest } })
                        .value_or(BillingMode::Provisioned);
    if (createTableOnly)
        r.tableClass = f.enumeration<TableClass>("TableClass",
                            { { "STANDARD", TableClass::Standard },
                                { "STANDARD_INFREQUENT_ACCESS", TableClass::StandardInfrequentAccess } })
                           .value_or(TableClass::Standard);
    readThroughput(f, r.readCapacity, r.writeCapacity);
    if (createTableOnly)
        if (Status s = streamSpecificationOf(f, r.streamSpecification); !s)
            return s;
    if (r.billingMode == BillingMode::Provisioned && !f.find("ProvisionedThroughput") && f.ok())
        f.fail(Status::validation("One or more parameter values were invalid: ReadCapacityUnits and "
                                  "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"));
    return f.status();
}

WireResponse createTable(Engine& engine, Fields& f, EngineTime now)
{
    CreateTableRequest r;
    if (Status s = createTableRequestFrom(f, r, true); !s)
        return errorResponse(s);
    auto table = engine.createTable(r, now);
    if (!table)
        return errorResponse(table.status());
    return ok(json::object {
        { "TableDescription", Dispatcher::tableDescription(engine, *table, table->isUpdating(now) ? "UPDATING" : "ACTIVE") } });
}

WireResponse describeTable(Engine& engine, Fields& f, EngineTime now)
{
    const std::string name = requiredTableName(f);
    if (!f.ok())
        return errorResponse(f.status());
    auto table = engine.describeTable(name);
    if (!table)
        return errorResponse(table.status());
    return ok(json::object {
        { "Table", Dispatcher::tableDescription(engine, *table, table->isUpdating(now) ? "UPDATING" : "ACTIVE") } });
}

WireResponse deleteTable(Engine& engine, Fields& f, EngineTime)
{
    const std::string name = requiredTableName(f);
    if (!f.ok())
        return errorResponse(f.status());
    auto table = engine.deleteTable(name);
    if (!table)
        return errorResponse(table.status());
    return ok(json::object { { "TableDescription", Dispatcher::deletedTableDescription(engine, *table) } });
}

WireResponse listTables(Engine& engine, Fields& f, EngineTime)
{
    auto start = f.string("ExclusiveStartTableName");
    auto limit = f.integer("Limit");
    if (!f.ok())
        return errorResponse(f.status());
    auto result = engine.listTables(start, limit);
    if (!result)
        return errorResponse(result.status());
    json::array names;
    for (const auto& name : result->tableNames)
        names.push_back(json::value(name));
    json::object out { { "TableNames", std::move(names) } };
    if (result->lastEvaluatedTableName)
        out["LastEvaluatedTableName"] = *result->lastEvaluatedTableName;
    return ok(std::move(out));
}

WireResponse updateTable(Engine& engine, Fields& f, EngineTime now)
{
    UpdateTableRequest r;
    r.tableName = requiredTableName(f);
    // ReplicaUpdates (global tables, reference A11): one Create or Delete {RegionName}, alone in
    // the call.
    if (const auto* replicaUpdates = f.find("ReplicaUpdates")) {
        if (!f.ok())
            return errorResponse(f.status());
        if (!replicaUpdates->is_array())
            return errorResponse(Fields::typeError(*replicaUpdates, "List", "ReplicaUpdates"));
        const auto& list = replicaUpdates->get_array();
        if (list.size() != 1)
            return errorResponse(Status::validation("One or more parameter values were invalid: ReplicaUpdates must "
                                                    "hold exactly one Create or Delete (it holds "
                + std::to_string(list.size()) + ")"));
        for (const char* other : { "BillingMode", "ProvisionedThroughput", "GlobalSecondaryIndexUpdates",
                 "StreamSpecification", "TableClass", "SSESpecification", "AttributeDefinitions" })
            if (f.find(other))
                return errorResponse(Status::validation(std::string("One or more parameter values were invalid: "
                                                                    "ReplicaUpdates cannot be combined with ")
                    + other + " in one UpdateTable call"));
        const auto* o = list.front().is_object() ? &list.front().get_object() : nullptr;
        const json::value* create = o ? o->if_contains("Create") : nullptr;
        const json::value* del = o ? o->if_contains("Delete") : nullptr;
        if ((create != nullptr) + (del != nullptr) != 1 || (o && o->if_contains("Update")))
            return errorResponse(Status::validation("One or more parameter values were invalid: One of "
                                                    "ReplicationGroupUpdate.Create or Delete must be specified (at "
                                                    "replicaUpdates.1.member)"));
        Fields e(create ? *create : *del);
        const std::string region = e.requiredString("RegionName");
        if (!e.ok())
            return errorResponse(e.status());
        auto table = engine.updateReplicas(r.tableName,
            create ? Engine::ReplicaAction::Create : Engine::ReplicaAction::Delete, region, now);
        if (!table)
            return errorResponse(table.status());
        return ok(json::object { { "TableDescription",
            Dispatcher::tableDescription(engine, *table, table->isUpdating(now) ? "UPDATING" : "ACTIVE") } });
    }
    r.billingMode = f.enumeration<BillingMode>(
        "BillingMode", { { "PROVISIONED", BillingMode::Provisioned }, { "PAY_PER_REQUEST", BillingMode::PayPerRequest } });
    r.tableClass = f.enumeration<TableClass>("TableClass",
        { { "STANDARD", TableClass::Standard }, { "STANDARD_INFREQUENT_ACCESS", TableClass::StandardInfrequentAccess } });
    readThroughput(f, r.readCapacity, r.writeCapacity);
    if (!f.ok())
        return errorResponse(f.status());
    if (Status s = streamSpecificationOf(f, r.streamSpecification); !s)
        return errorResponse(s);
    if (const auto* updates = f.find("GlobalSecondaryIndexUpdates")) {
        if (!updates->is_array())
            return errorResponse(Fields::typeError(*updates, "List", "GlobalSecondaryIndexUpdates"));
        AttributeTypes defined;
        if (const auto* definitions = f.find("AttributeDefinitions")) {
            if (Status s = attributeDefinitionsFrom(*definitions, defined); !s)
                return errorResponse(s);
        }
        std::size_t i = 0;
        for (const auto& v : updates->get_array()) {
            const std::string field = "globalSecondaryIndexUpdates." + std::to_string(++i) + ".member";
            const auto* o = v.is_object() ? &v.get_object() : nullptr;
            const json::value* create = o ? o->if_contains("Create") : nullptr;
            const json::value* update = o ? o->if_contains("Update") : nullptr;
            const json::value* del = o ? o->if_contains("Delete") : nullptr;
            if ((create != nullptr) + (update != nullptr) + (del != nullptr) != 1)
                return errorResponse(Status::validation("One or more parameter values were invalid: One of "
                                                        "GlobalSecondaryIndexUpdate.Create, Update or Delete must "
                                                        "be specified (at "
                    + field + ")"));
            GlobalSecondaryIndexUpdate entry;
            if (create) {
                entry.action = GlobalSecondaryIndexUpdate::Action::Create;
                std::set<std::string> used;
                if (Status s = indexDefinitionFrom(*create, defined, used, field + ".create", true, entry.index); !s)
                    return errorResponse(s);
            } else {
                entry.action = update ? GlobalSecondaryIndexUpdate::Action::Update
                                      : GlobalSecondaryIndexUpdate::Action::Delete;
                Fields e(update ? *update : *del);
                entry.index.name = e.requiredString("IndexName");
                if (update)
                    readThroughput(e, entry.index.readCapacity, entry.index.writeCapacity);
                if (!e.ok())
                    return errorResponse(e.status());
            }
            r.globalSecondaryIndexUpdates.push_back(std::move(entry));
        }
    }
    auto table = engine.updateTable(r, now);
    if (!table)
        return errorResponse(table.status());
    WireResponse response = ok(json::object {
        { "TableDescription", Dispatcher::tableDescription(engine, *table, table->isUpdating(now) ? "UPDATING" : "ACTIVE") } });
    // The answer shows the new GSI as DynamoDB does (IndexStatus CREATING); without a
    // simulator to pace it, the dispatcher then runs the backfill to completion, so the next
    // DescribeTable shows it ACTIVE. Its write units are reported in `consumed`.
    for (const auto& u : r.globalSecondaryIndexUpdates) {
        if (u.action != GlobalSecondaryIndexUpdate::Action::Create)
            continue;
        ConsumedCapacity consumed;
        for (;;) {
            if (Status s = engine.backfillIndex(r.tableName, u.index.name, 1000, consumed); !s)
                return errorResponse(s);
            const TableState* t = engine.table(r.tableName);
            const IndexState* index = t ? t->findIndex(u.index.name) : nullptr;
            if (!index || index->status == IndexStatus::Active)
                break;
        }
        response.consumed.push_back(std::move(consumed));
    }
    return response;
}

} // namespace capsim::wire

namespace capsim {

namespace json = boost::json;
using wire::epochSeconds;

json::object Dispatcher::deletedTableDescription(const Engine& engine, const TableState& table)
{
    // DeleteTable's TableDescription: the table's identity, status, throughput and size, without
    // its definition (AttributeDefinitions, KeySchema, indexes), its creation time or capsim's map.
    const json::object full = tableDescription(engine, table, "DELETING");
    json::object t;
    for (const char* kept : { "TableName", "TableStatus", "ProvisionedThroughput", "TableSizeBytes", "ItemCount",
             "TableArn", "TableId", "BillingModeSummary" })
        if (const auto* v = full.if_contains(kept))
            t[kept] = *v;
    return t;
}

json::object Dispatcher::tableDescription(const Engine& engine, const TableState& table, const char* status)
{
    json::object t;
    // Every key attribute of the table and its indexes, each once.
    json::array definitions;
    std::set<std::string> defined;
    auto define = [&](const KeyElement& k) {
        if (defined.insert(k.name).second)
            definitions.push_back(json::object { { "AttributeName", k.name }, { "AttributeType", attrTypeName(k.type) } });
    };
    auto keySchemaJson = [&](const KeySchema& key) {
        json::array keySchema;
        define(key.partition);
        keySchema.push_back(json::object { { "AttributeName", key.partition.name }, { "KeyType", "HASH" } });
        if (key.sort) {
            define(*key.sort);
            keySchema.push_back(json::object { { "AttributeName", key.sort->name }, { "KeyType", "RANGE" } });
        }
        return keySchema;
    };
    json::array tableKeySchema = keySchemaJson(table.key);
    json::array globalIndexes;
    json::array localIndexes;
    for (const auto& index : table.indexes) {
        json::object i;
        i["IndexName"] = index.name;
        i["KeySchema"] = keySchemaJson(index.key);
        json::object projection { { "ProjectionType", projectionTypeName(index.projection) } };
        if (index.projection == ProjectionType::Include) {
            json::array nonKey;
            for (const auto& name : index.nonKeyAttributes)
                nonKey.push_back(json::value(name));
            projection["NonKeyAttributes"] = std::move(nonKey);
        }
        i["Projection"] = std::move(projection);
        if (index.isGlobal()) {
            i["IndexStatus"] = indexStatusName(index.status);
            if (index.status == IndexStatus::Creating)
                i["Backfilling"] = true;
            i["ProvisionedThroughput"] = json::object { { "NumberOfDecreasesToday", 0 },
                { "ReadCapacityUnits", index.readCapacity }, { "WriteCapacityUnits", index.writeCapacity } };
        }
        i["IndexSizeBytes"] = index.itemBytes();
        i["ItemCount"] = index.itemCount();
        i["IndexArn"] = engine.tableArn(table.name) + "/index/" + index.name;
        json::object capsim;
        if (index.isGlobal()) {
            json::array partitions;
            for (const auto& p : index.partitions) {
                partitions.push_back(json::object { { "id", p.id }, { "hashLow", std::to_string(p.hashLow) },
                    { "hashHigh", std::to_string(p.hashHigh) }, { "itemCount", p.itemCount },
                    { "itemBytes", p.itemBytes }, { "billableBytes", p.billableBytes() } });
            }
            capsim["partitionCount"] = static_cast<std::int64_t>(index.partitions.size());
            capsim["partitions"] = std::move(partitions);
            if (index.status == IndexStatus::Creating)
                capsim["backfilledItems"] = index.backfilledItems;
        }
        capsim["billableBytes"] = index.billableBytes();
        i["capsim"] = std::move(capsim);
        (index.isGlobal() ? globalIndexes : localIndexes).push_back(std::move(i));
    }
    t["AttributeDefinitions"] = std::move(definitions);
    t["TableName"] = table.name;
    t["KeySchema"] = std::move(tableKeySchema);
    if (!globalIndexes.empty())
        t["GlobalSecondaryIndexes"] = std::move(globalIndexes);
    if (!localIndexes.empty())
        t["LocalSecondaryIndexes"] = std::move(localIndexes);
    // A table being restored is CREATING, with its RestoreSummary (reference A8).
    t["TableStatus"] = table.restore || table.isCreating() ? "CREATING" : status;
    if (table.restore)
        t["RestoreSummary"] = wire::restoreSummaryJson(*table.restore);
    t["CreationDateTime"] = epochSeconds(table.createdAt);
    json::object throughput;
    if (table.lastIncreaseAt)
        throughput["LastIncreaseDateTime"] = epochSeconds(table.lastIncreaseAt);
    if (table.lastDecreaseAt)
        throughput["LastDecreaseDateTime"] = epochSeconds(table.lastDecreaseAt);
    throughput["NumberOfDecreasesToday"] = table.decreasesToday;
    throughput["ReadCapacityUnits"] = table.readCapacity;
    throughput["WriteCapacityUnits"] = table.writeCapacity;
    t["ProvisionedThroughput"] = std::move(throughput);
    t["TableSizeBytes"] = table.itemBytes();
    t["ItemCount"] = table.itemCount();
    t["TableArn"] = engine.tableArn(table.name);
    t["TableId"] = table.tableUuid();
    json::object billing { { "BillingMode", billingModeName(table.billingMode) } };
    if (table.lastPayPerRequestAt)
        billing["LastUpdateToPayPerRequestDateTime"] = epochSeconds(*table.lastPayPerRequestAt);
    t["BillingModeSummary"] = std::move(billing);
    t["TableClassSummary"] = json::object { { "TableClass", tableClassName(table.tableClass) } };
    // Streams (reference A7): the specification while enabled; the latest stream after a disable too.
    if (table.stream.enabled)
        t["StreamSpecification"] = json::object { { "StreamEnabled", true }, { "StreamViewType", table.stream.viewType } };
    if (!table.stream.latestArn.empty()) {
        t["LatestStreamArn"] = table.stream.latestArn;
        t["LatestStreamLabel"] = table.stream.latestLabel;
    }
    // Global tables (reference A11): the version and the other replicas with their status.
    if (table.isGlobal()) {
        t["GlobalTableVersion"] = kGlobalTableVersion;
        json::array replicas;
        for (const auto& r : table.replicas)
            if (r.region != table.region)
                replicas.push_back(
                    json::object { { "RegionName", r.region }, { "ReplicaStatus", replicaStatusName(r.status) } });
        t["Replicas"] = std::move(replicas);
        if (const ReplicaState* own = table.findReplica(table.region); own && own->status != ReplicaStatus::Active)
            t["TableStatus"] = replicaStatusName(own->status);
    }
    json::array partitions;
    for (const auto& p : table.partitions) {
        partitions.push_back(json::object { { "id", p.id }, { "hashLow", std::to_string(p.hashLow) },
            { "hashHigh", std::to_string(p.hashHigh) }, { "itemCount", p.itemCount }, { "itemBytes", p.itemBytes },
            { "billableBytes", p.billableBytes() } });
    }
    json::object capsim;
    capsim["partitionCount"] = static_cast<std::int64_t>(table.partitions.size());
    capsim["partitions"] = std::move(partitions);
    capsim["billableBytes"] = table.billableBytes();
    if (table.billingMode == BillingMode::PayPerRequest)
        capsim["onDemandPreviousPeak"] = json::object { { "read", table.peakRead }, { "write", table.peakWrite } };
    t["capsim"] = std::move(capsim);
    return t;
}

} // namespace capsim

#include "engine/dispatcher.h"

#include "engine/json_codec.h"

#include <boost/json.hpp>

#include <functional>
#include <set>

namespace capsim {

namespace json = boost::json;

namespace {

std::string lowerFirst(std::string_view name)
{
    std::string out(name);
    if (!out.empty())
        out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
    return out;
}

// Reads typed fields of a request object, recording the first problem. Field errors follow
// DynamoDB: wrong JSON type -> SerializationException, missing required -> ValidationException.
class Fields {
public:
    Fields(const json::value& request)
    {
        if (request.is_object())
            m_object = &request.get_object();
        else
            m_status = Status(error::kSerialization, "The request body must be a JSON object");
    }

    bool ok() const { return m_status.isOk(); }
    const Status& status() const { return m_status; }
    void fail(Status s)
    {
        if (m_status.isOk())
            m_status = std::move(s);
    }

    const json::value* find(const char* name) const
    {
        if (!m_object)
            return nullptr;
        const auto* v = m_object->if_contains(name);
        return v && !v->is_null() ? v : nullptr;
    }

    std::optional<std::string> string(const char* name)
    {
        const auto* v = find(name);
        if (!v)
            return std::nullopt;
        if (!v->is_string()) {
            fail(typeError(*v, "String", name));
            return std::nullopt;
        }
        return std::string(v->get_string());
    }

    std::string requiredString(const char* name)
    {
        auto s = string(name);
        if (!s) {
            missing(name);
            return {};
        }
        return *s;
    }

    std::optional<bool> boolean(const char* name)
    {
        const auto* v = find(name);
        if (!v)
            return std::nullopt;
        if (!v->is_bool()) {
            fail(typeError(*v, "Boolean", name));
            return std::nullopt;
        }
        return v->get_bool();
    }

    std::optional<std::int64_t> integer(const char* name, const json::value* v = nullptr)
    {
        if (!v)
            v = find(name);
        if (!v)
            return std::nullopt;
        if (v->is_int64())
            return v->get_int64();
        if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
            return static_cast<std::int64_t>(v->get_uint64());
        fail(typeError(*v, "Long", name));
        return std::nullopt;
    }

    std::optional<Item> item(const char* name)
    {
        const auto* v = find(name);
        if (!v)
            return std::nullopt;
        auto decoded = itemFromJson(*v, name);
        if (!decoded) {
            fail(decoded.status());
            return std::nullopt;
        }
        return std::move(decoded).value();
    }

    Item requiredItem(const char* name)
    {
        auto i = item(name);
        if (!i && ok())
            missing(name);
        return i.value_or(Item {});
    }

    std::optional<std::map<std::string, std::string>> names(const json::value* v, const char* name)
    {
        if (!v)
            return std::nullopt;
        if (!v->is_object()) {
            fail(typeError(*v, "Map", name));
            return std::nullopt;
        }
        std::map<std::string, std::string> out;
        for (const auto& [key, value] : v->get_object()) {
            if (!value.is_string()) {
                fail(typeError(value, "String", name));
                return std::nullopt;
            }
            out.emplace(std::string(key), std::string(value.get_string()));
        }
        return out;
    }

    ExpressionInput expressionInput()
    {
        ExpressionInput input;
        input.names = names(find("ExpressionAttributeNames"), "ExpressionAttributeNames");
        input.values = item("ExpressionAttributeValues");
        return input;
    }

    template <typename Enum>
    std::optional<Enum> enumeration(const char* name, std::initializer_list<std::pair<const char*, Enum>> values)
    {
        auto s = string(name);
        if (!s)
            return std::nullopt;
        std::string allowed;
        for (const auto& [text, value] : values) {
            if (*s == text)
                return value;
            allowed += std::string(allowed.empty() ? "" : ", ") + text;
        }
        fail(Status::validation("1 validation error detected: Value '" + *s + "' at '" + lowerFirst(name)
            + "' failed to satisfy constraint: Member must satisfy enum value set: [" + allowed + "]"));
        return std::nullopt;
    }

    void rejectLegacy(std::initializer_list<const char*> names)
    {
        for (const char* name : names) {
            if (find(name))
                fail(Status::validation(std::string("capsim does not implement the legacy parameter ") + name
                    + "; use the expression parameters instead"));
        }
    }

    void missing(const char* name)
    {
        fail(Status::validation("1 validation error detected: Value null at '" + lowerFirst(name)
            + "' failed to satisfy constraint: Member must not be null"));
    }

    static Status typeError(const json::value& v, const char* expected, std::string_view field)
    {
        const char* kind = v.is_string() ? "STRING_VALUE"
            : v.is_number()              ? "NUMBER_VALUE"
            : v.is_bool()                ? "BOOLEAN_VALUE"
            : v.is_array()               ? "START_ARRAY"
                                         : "START_OBJECT";
        return Status(error::kSerialization,
            std::string(kind) + " cannot be converted to " + expected + " (at " + std::string(field) + ")");
    }

private:
    const json::object* m_object = nullptr;
    Status m_status;
};

enum class ReturnCapacity { None, Total, Indexes };

ReturnCapacity returnCapacity(Fields& f)
{
    return f
        .enumeration<ReturnCapacity>("ReturnConsumedCapacity",
            { { "INDEXES", ReturnCapacity::Indexes }, { "TOTAL", ReturnCapacity::Total }, { "NONE", ReturnCapacity::None } })
        .value_or(ReturnCapacity::None);
}

json::value capacityJson(const ConsumedCapacity& c, ReturnCapacity mode)
{
    json::object o;
    o["TableName"] = c.tableName;
    const CapacityUnits total = c.total();
    o["CapacityUnits"] = total.total();
    o["ReadCapacityUnits"] = total.read;
    o["WriteCapacityUnits"] = total.write;
    if (mode == ReturnCapacity::Indexes) {
        o["Table"] = json::object { { "CapacityUnits", c.table.total() }, { "ReadCapacityUnits", c.table.read },
            { "WriteCapacityUnits", c.table.write } };
        for (const auto& [key, indexes] : { std::pair { "GlobalSecondaryIndexes", &c.globalSecondaryIndexes },
                 std::pair { "LocalSecondaryIndexes", &c.localSecondaryIndexes } }) {
            if (indexes->empty())
                continue;
            json::object m;
            for (const auto& [name, units] : *indexes)
                m[name] = json::object { { "CapacityUnits", units.total() }, { "ReadCapacityUnits", units.read },
                    { "WriteCapacityUnits", units.write } };
            o[key] = std::move(m);
        }
    }
    return o;
}

void addCapacity(json::object& out, const ConsumedCapacity& c, ReturnCapacity mode)
{
    if (mode != ReturnCapacity::None)
        out["ConsumedCapacity"] = capacityJson(c, mode);
}

void addCapacityList(json::object& out, const std::vector<ConsumedCapacity>& list, ReturnCapacity mode)
{
    if (mode == ReturnCapacity::None)
        return;
    json::array a;
    for (const auto& c : list)
        a.push_back(capacityJson(c, mode));
    out["ConsumedCapacity"] = std::move(a);
}

std::optional<ReturnValues> returnValues(Fields& f)
{
    return f.enumeration<ReturnValues>("ReturnValues",
        { { "NONE", ReturnValues::None }, { "ALL_OLD", ReturnValues::AllOld }, { "UPDATED_OLD", ReturnValues::UpdatedOld },
            { "ALL_NEW", ReturnValues::AllNew }, { "UPDATED_NEW", ReturnValues::UpdatedNew } });
}

bool returnOldOnFailure(Fields& f)
{
    return f.enumeration<bool>("ReturnValuesOnConditionCheckFailure", { { "ALL_OLD", true }, { "NONE", false } })
        .value_or(false);
}

bool returnCollectionMetrics(Fields& f)
{
    return f.enumeration<bool>("ReturnItemCollectionMetrics", { { "SIZE", true }, { "NONE", false } }).value_or(false);
}

std::optional<Select> selectOf(Fields& f)
{
    return f.enumeration<Select>("Select",
        { { "ALL_ATTRIBUTES", Select::AllAttributes }, { "ALL_PROJECTED_ATTRIBUTES", Select::AllProjectedAttributes },
            { "SPECIFIC_ATTRIBUTES", Select::SpecificAttributes }, { "COUNT", Select::Count } });
}

double epochSeconds(EngineTime t)
{
    return static_cast<double>(t) / static_cast<double>(kMicrosPerSecond);
}

WireResponse ok(json::object body)
{
    WireResponse r;
    r.body = std::move(body);
    return r;
}

WireResponse withConsumed(WireResponse response, std::vector<ConsumedCapacity> consumed)
{
    response.consumed = std::move(consumed);
    return response;
}

WireResponse writeResult(const WriteResponse& response, ReturnCapacity mode)
{
    if (!response.status) {
        WireResponse error = Dispatcher::errorResponse(response.status);
        if (response.conditionFailureItem)
            error.body.as_object()["Item"] = itemToJson(*response.conditionFailureItem);
        return withConsumed(std::move(error), { response.consumed });
    }
    json::object out;
    if (response.attributes)
        out["Attributes"] = itemToJson(*response.attributes);
    addCapacity(out, response.consumed, mode);
    if (response.itemCollectionMetrics) {
        const auto& m = *response.itemCollectionMetrics;
        out["ItemCollectionMetrics"] = json::object { { "ItemCollectionKey", itemToJson(m.itemCollectionKey) },
            { "SizeEstimateRangeGB", json::array { m.sizeEstimateLowGb, m.sizeEstimateHighGb } } };
    }
    return withConsumed(ok(std::move(out)), { response.consumed });
}

WireResponse pageResult(const ReadPageResponse& response, ReturnCapacity mode, bool countOnly)
{
    if (!response.status)
        return withConsumed(Dispatcher::errorResponse(response.status), { response.consumed });
    json::object out;
    if (!countOnly) {
        json::array items;
        for (const auto& item : response.items)
            items.push_back(itemToJson(item));
        out["Items"] = std::move(items);
    }
    out["Count"] = response.count;
    out["ScannedCount"] = response.scannedCount;
    if (response.lastEvaluatedKey)
        out["LastEvaluatedKey"] = itemToJson(*response.lastEvaluatedKey);
    addCapacity(out, response.consumed, mode);
    return withConsumed(ok(std::move(out)), { response.consumed });
}

void readThroughput(Fields& f, std::optional<std::int64_t>& read, std::optional<std::int64_t>& write)
{
    const auto* pt = f.find("ProvisionedThroughput");
    if (!pt)
        return;
    if (!pt->is_object()) {
        f.fail(Fields::typeError(*pt, "ProvisionedThroughput", "ProvisionedThroughput"));
        return;
    }
    const auto& o = pt->get_object();
    const auto* r = o.if_contains("ReadCapacityUnits");
    const auto* w = o.if_contains("WriteCapacityUnits");
    if (!r || !w) {
        f.fail(Status::validation(std::string("1 validation error detected: Value null at 'provisionedThroughput.")
            + (r ? "writeCapacityUnits" : "readCapacityUnits") + "' failed to satisfy constraint: Member must not be null"));
        return;
    }
    read = f.integer("ProvisionedThroughput.ReadCapacityUnits", r);
    write = f.integer("ProvisionedThroughput.WriteCapacityUnits", w);
}

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
            return Status::validation("Cannot have two attributes with the same name: " + std::string(name->get_string()));
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
    Fields p(*projection);
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
        }
        out.nonKeyAttributes = std::move(names);
    }
    if (!p.ok())
        return p.status();
    if (withThroughput)
        readThroughput(f, out.readCapacity, out.writeCapacity);
    return f.status();
}

json::object keysAndAttributesJson(const KeysAndAttributes& k)
{
    json::object o;
    json::array keys;
    for (const auto& key : k.keys)
        keys.push_back(itemToJson(key));
    o["Keys"] = std::move(keys);
    if (k.consistentRead)
        o["ConsistentRead"] = true;
    if (k.projectionExpression)
        o["ProjectionExpression"] = *k.projectionExpression;
    if (k.expressionAttributeNames) {
        json::object names;
        for (const auto& [placeholder, name] : *k.expressionAttributeNames)
            names[placeholder] = name;
        o["ExpressionAttributeNames"] = std::move(names);
    }
    return o;
}

// The fields PutItem, UpdateItem and DeleteItem share, after TableName and the item or key.
template <typename Request>
void readWriteFields(Fields& f, Request& r)
{
    r.conditionExpression = f.string("ConditionExpression");
    r.expressionAttributes = f.expressionInput();
    r.returnValues = returnValues(f).value_or(ReturnValues::None);
    r.returnOldOnConditionFailure = returnOldOnFailure(f);
    r.returnItemCollectionMetrics = returnCollectionMetrics(f);
}

} // namespace

WireResponse Dispatcher::errorResponse(const Status& status)
{
    WireResponse r;
    r.httpStatus = status.is(error::kInternalServerError) ? 500 : 400;
    r.errorType = status.type();
    r.body = json::object { { "__type", "com.amazonaws.dynamodb.v20120810#" + status.type() },
        { "message", status.message() } };
    return r;
}

json::object Dispatcher::tableDescription(const TableState& table, const char* status)
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
        i["IndexArn"] = "arn:aws:dynamodb:us-east-1:000000000000:table/" + table.name + "/index/" + index.name;
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
    t["TableStatus"] = status;
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
    t["TableArn"] = "arn:aws:dynamodb:us-east-1:000000000000:table/" + table.name;
    t["TableId"] = "capsim-" + std::to_string(table.id);
    json::object billing { { "BillingMode", billingModeName(table.billingMode) } };
    if (!table.payPerRequestSwitches.empty())
        billing["LastUpdateToPayPerRequestDateTime"] = epochSeconds(table.payPerRequestSwitches.back());
    t["BillingModeSummary"] = std::move(billing);
    t["TableClassSummary"] = json::object { { "TableClass", tableClassName(table.tableClass) } };
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

WireResponse Dispatcher::dispatch(std::string_view operation, const json::value& request, EngineTime now)
{
    Fields f(request);
    if (!f.ok())
        return errorResponse(f.status());
    auto failed = [&]() { return errorResponse(f.status()); };

    if (operation == "CreateTable") {
        CreateTableRequest r;
        r.tableName = f.requiredString("TableName");
        if (!f.ok())
            return failed();
        const auto* keySchema = f.find("KeySchema");
        const auto* definitions = f.find("AttributeDefinitions");
        if (!keySchema)
            f.missing("KeySchema");
        else if (!definitions)
            f.missing("AttributeDefinitions");
        if (!f.ok())
            return failed();
        AttributeTypes defined;
        std::set<std::string> used;
        if (Status s = attributeDefinitionsFrom(*definitions, defined); !s)
            return errorResponse(s);
        if (Status s = keySchemaOf(*keySchema, defined, r.keySchema, used, "keySchema"); !s)
            return errorResponse(s);
        bool hasIndexes = false;
        for (const bool global : { true, false }) {
            const char* name = global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes";
            const auto* list = f.find(name);
            if (!list)
                continue;
            if (!list->is_array())
                return errorResponse(Fields::typeError(*list, "List", name));
            if (list->get_array().empty())
                return errorResponse(Status::validation(std::string("One or more parameter values were invalid: List of ")
                    + name + " is empty"));
            hasIndexes = true;
            std::size_t i = 0;
            for (const auto& v : list->get_array()) {
                IndexDefinition definition;
                const std::string field = std::string(global ? "globalSecondaryIndexes." : "localSecondaryIndexes.")
                    + std::to_string(++i) + ".member";
                if (Status s = indexDefinitionFrom(v, defined, used, field, global, definition); !s)
                    return errorResponse(s);
                (global ? r.globalSecondaryIndexes : r.localSecondaryIndexes).push_back(std::move(definition));
            }
        }
        if (used.size() != defined.size()) {
            if (!hasIndexes)
                return errorResponse(Status::validation("One or more parameter values were invalid: Number of "
                                                        "attributes in KeySchema does not exactly match number of "
                                                        "attributes defined in AttributeDefinitions"));
            std::set<std::string> names;
            for (const auto& [n, t] : defined)
                names.insert(n);
            return errorResponse(Status::validation("One or more parameter values were invalid: Some AttributeDefinitions "
                                                    "are not used. AttributeDefinitions: ["
                + joinNames(names) + "], keys used: [" + joinNames(used) + "]"));
        }
        r.billingMode = f.enumeration<BillingMode>("BillingMode",
                             { { "PROVISIONED", BillingMode::Provisioned }, { "PAY_PER_REQUEST", BillingMode::PayPerRequest } })
                            .value_or(BillingMode::Provisioned);
        r.tableClass = f.enumeration<TableClass>("TableClass",
                            { { "STANDARD", TableClass::Standard },
                                { "STANDARD_INFREQUENT_ACCESS", TableClass::StandardInfrequentAccess } })
                           .value_or(TableClass::Standard);
        readThroughput(f, r.readCapacity, r.writeCapacity);
        if (r.billingMode == BillingMode::Provisioned && !f.find("ProvisionedThroughput") && f.ok())
            f.fail(Status::validation("One or more parameter values were invalid: ReadCapacityUnits and "
                                      "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"));
        if (!f.ok())
            return failed();
        auto table = m_engine.createTable(r, now);
        if (!table)
            return errorResponse(table.status());
        return ok(json::object { { "TableDescription", tableDescription(*table, "ACTIVE") } });
    }
    if (operation == "DescribeTable") {
        const std::string name = f.requiredString("TableName");
        if (!f.ok())
            return failed();
        auto table = m_engine.describeTable(name);
        if (!table)
            return errorResponse(table.status());
        return ok(json::object { { "Table", tableDescription(*table) } });
    }
    if (operation == "DeleteTable") {
        const std::string name = f.requiredString("TableName");
        if (!f.ok())
            return failed();
        auto table = m_engine.deleteTable(name);
        if (!table)
            return errorResponse(table.status());
        return ok(json::object { { "TableDescription", tableDescription(*table, "DELETING") } });
    }
    if (operation == "ListTables") {
        auto start = f.string("ExclusiveStartTableName");
        auto limit = f.integer("Limit");
        if (!f.ok())
            return failed();
        auto result = m_engine.listTables(start, limit);
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
    if (operation == "UpdateTable") {
        UpdateTableRequest r;
        r.tableName = f.requiredString("TableName");
        r.billingMode = f.enumeration<BillingMode>(
            "BillingMode", { { "PROVISIONED", BillingMode::Provisioned }, { "PAY_PER_REQUEST", BillingMode::PayPerRequest } });
        r.tableClass = f.enumeration<TableClass>("TableClass",
            { { "STANDARD", TableClass::Standard }, { "STANDARD_INFREQUENT_ACCESS", TableClass::StandardInfrequentAccess } });
        readThroughput(f, r.readCapacity, r.writeCapacity);
        if (!f.ok())
            return failed();
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
        auto table = m_engine.updateTable(r, now);
        if (!table)
            return errorResponse(table.status());
        WireResponse response = ok(json::object { { "TableDescription", tableDescription(*table) } });
        // The answer shows the new GSI as DynamoDB does (IndexStatus CREATING); without a
        // simulator to pace it, the dispatcher then runs the backfill to completion, so the next
        // DescribeTable shows it ACTIVE. Its write units are reported in `consumed`.
        for (const auto& u : r.globalSecondaryIndexUpdates) {
            if (u.action != GlobalSecondaryIndexUpdate::Action::Create)
                continue;
            ConsumedCapacity consumed;
            for (;;) {
                if (Status s = m_engine.backfillIndex(r.tableName, u.index.name, 1000, consumed); !s)
                    return errorResponse(s);
                const TableState* t = m_engine.table(r.tableName);
                const IndexState* index = t ? t->findIndex(u.index.name) : nullptr;
                if (!index || index->status == IndexStatus::Active)
                    break;
            }
            response.consumed.push_back(std::move(consumed));
        }
        return response;
    }
    if (operation == "GetItem") {
        GetItemRequest r;
        r.tableName = f.requiredString("TableName");
        r.key = f.requiredItem("Key");
        r.consistentRead = f.boolean("ConsistentRead").value_or(false);
        r.projectionExpression = f.string("ProjectionExpression");
        r.expressionAttributes.names = f.names(f.find("ExpressionAttributeNames"), "ExpressionAttributeNames");
        const auto mode = returnCapacity(f);
        f.rejectLegacy({ "AttributesToGet" });
        if (!f.ok())
            return failed();
        auto response = m_engine.getItem(r);
        if (!response.status)
            return withConsumed(errorResponse(response.status), { response.consumed });
        json::object out;
        if (response.item)
            out["Item"] = itemToJson(*response.item);
        addCapacity(out, response.consumed, mode);
        return withConsumed(ok(std::move(out)), { response.consumed });
    }
    if (operation == "PutItem") {
        PutItemRequest r;
        r.tableName = f.requiredString("TableName");
        r.item = f.requiredItem("Item");
        readWriteFields(f, r);
        const auto mode = returnCapacity(f);
        f.rejectLegacy({ "Expected", "ConditionalOperator" });
        if (!f.ok())
            return failed();
        return writeResult(m_engine.putItem(r), mode);
    }
    if (operation == "UpdateItem") {
        UpdateItemRequest r;
        r.tableName = f.requiredString("TableName");
        r.key = f.requiredItem("Key");
        r.updateExpression = f.string("UpdateExpression");
        readWriteFields(f, r);
        const auto mode = returnCapacity(f);
        f.rejectLegacy({ "AttributeUpdates", "Expected", "ConditionalOperator" });
        if (!f.ok())
            return failed();
        return writeResult(m_engine.updateItem(r), mode);
    }
    if (operation == "DeleteItem") {
        DeleteItemRequest r;
        r.tableName = f.requiredString("TableName");
        r.key = f.requiredItem("Key");
        readWriteFields(f, r);
        const auto mode = returnCapacity(f);
        f.rejectLegacy({ "Expected", "ConditionalOperator" });
        if (!f.ok())
            return failed();
        return writeResult(m_engine.deleteItem(r), mode);
    }
    if (operation == "Query") {
        QueryRequest r;
        r.tableName = f.requiredString("TableName");
        r.indexName = f.string("IndexName");
        r.keyConditionExpression = f.string("KeyConditionExpression").value_or("");
        r.filterExpression = f.string("FilterExpression");
        r.projectionExpression = f.string("ProjectionExpression");
        r.expressionAttributes = f.expressionInput();
        r.consistentRead = f.boolean("ConsistentRead").value_or(false);
        r.scanIndexForward = f.boolean("ScanIndexForward").value_or(true);
        r.limit = f.integer("Limit");
        r.exclusiveStartKey = f.item("ExclusiveStartKey");
        r.select = selectOf(f);
        const auto mode = returnCapacity(f);
        f.rejectLegacy({ "KeyConditions", "QueryFilter", "AttributesToGet", "ConditionalOperator" });
        if (f.ok() && !f.find("KeyConditionExpression"))
            f.fail(Status::validation("Either the KeyConditions or KeyConditionExpression parameter must be specified "
                                      "in the request."));
        if (!f.ok())
            return failed();
        return pageResult(m_engine.query(r), mode, r.select == Select::Count);
    }
    if (operation == "Scan") {
        ScanRequest r;
        r.tableName = f.requiredString("TableName");
        r.indexName = f.string("IndexName");
        r.filterExpression = f.string("FilterExpression");
        r.projectionExpression = f.string("ProjectionExpression");
        r.expressionAttributes = f.expressionInput();
        r.consistentRead = f.boolean("ConsistentRead").value_or(false);
        r.limit = f.integer("Limit");
        r.exclusiveStartKey = f.item("ExclusiveStartKey");
        r.select = selectOf(f);
        r.segment = f.integer("Segment");
        r.totalSegments = f.integer("TotalSegments");
        const auto mode = returnCapacity(f);
        f.rejectLegacy({ "ScanFilter", "AttributesToGet", "ConditionalOperator" });
        if (!f.ok())
            return failed();
        return pageResult(m_engine.scan(r), mode, r.select == Select::Count);
    }
    if (operation == "BatchGetItem") {
        BatchGetItemRequest r;
        const auto* items = f.find("RequestItems");
        const auto mode = returnCapacity(f);
        if (!items)
            f.missing("RequestItems");
        else if (!items->is_object())
            f.fail(Fields::typeError(*items, "Map", "RequestItems"));
        if (!f.ok())
            return failed();
        for (const auto& [tableName, entry] : items->get_object()) {
            Fields e(entry);
            KeysAndAttributes k;
            const auto* keys = e.find("Keys");
            if (!keys || !keys->is_array()) {
                if (keys)
                    e.fail(Fields::typeError(*keys, "List", "Keys"));
                else
                    e.missing("Keys");
            } else {
                for (std::size_t i = 0; i < keys->get_array().size() && e.ok(); ++i) {
                    auto key = itemFromJson(keys->get_array()[i],
                        "RequestItems." + std::string(tableName) + ".Keys[" + std::to_string(i) + "]");
                    if (!key)
                        e.fail(key.status());
                    else
                        k.keys.push_back(std::move(key).value());
                }
            }
            k.consistentRead = e.boolean("ConsistentRead").value_or(false);
            k.projectionExpression = e.string("ProjectionExpression");
            k.expressionAttributeNames = e.names(e.find("ExpressionAttributeNames"), "ExpressionAttributeNames");
            e.rejectLegacy({ "AttributesToGet" });
            if (!e.ok())
                return errorResponse(e.status());
            r.requestItems.emplace_back(std::string(tableName), std::move(k));
        }
        auto response = m_engine.batchGetItem(r);
        if (!response.status)
            return errorResponse(response.status);
        json::object out;
        json::object responses;
        for (const auto& [tableName, list] : response.responses) {
            json::array a;
            for (const auto& item : list)
                a.push_back(itemToJson(item));
            responses[tableName] = std::move(a);
        }
        out["Responses"] = std::move(responses);
        json::object unprocessed;
        for (const auto& [tableName, k] : response.unprocessedKeys)
            unprocessed[tableName] = keysAndAttributesJson(k);
        out["UnprocessedKeys"] = std::move(unprocessed);
        addCapacityList(out, response.consumed, mode);
        return withConsumed(ok(std::move(out)), response.consumed);
    }
    if (operation == "BatchWriteItem") {
        BatchWriteItemRequest r;
        const auto* items = f.find("RequestItems");
        const auto mode = returnCapacity(f);
        if (!items)
            f.missing("RequestItems");
        else if (!items->is_object())
            f.fail(Fields::typeError(*items, "Map", "RequestItems"));
        if (!f.ok())
            return failed();
        for (const auto& [tableName, list] : items->get_object()) {
            if (!list.is_array())
                return errorResponse(Fields::typeError(list, "List", "RequestItems." + std::string(tableName)));
            std::vector<WriteRequest> writes;
            std::size_t index = 0;
            for (const auto& entry : list.get_array()) {
                const std::string field = "RequestItems." + std::string(tableName) + "[" + std::to_string(index++) + "]";
                const auto* o = entry.is_object() ? &entry.get_object() : nullptr;
                const auto* put = o ? o->if_contains("PutRequest") : nullptr;
                const auto* del = o ? o->if_contains("DeleteRequest") : nullptr;
                if ((put != nullptr) == (del != nullptr))
                    return errorResponse(Status::validation(
                        "Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest (at " + field + ")"));
                const auto* inner = put ? put : del;
                const auto* value = inner->is_object() ? inner->get_object().if_contains(put ? "Item" : "Key") : nullptr;
                if (!value)
                    return errorResponse(Status::validation("1 validation error detected: Value null at '" + field
                        + (put ? ".putRequest.item" : ".deleteRequest.key") + "' failed to satisfy constraint: Member must not be null"));
                auto decoded = itemFromJson(*value, field + (put ? ".PutRequest.Item" : ".DeleteRequest.Key"));
                if (!decoded)
                    return errorResponse(decoded.status());
                writes.push_back({ put != nullptr, std::move(decoded).value() });
            }
            r.requestItems.emplace_back(std::string(tableName), std::move(writes));
        }
        auto response = m_engine.batchWriteItem(r);
        if (!response.status)
            return errorResponse(response.status);
        json::object out;
        json::object unprocessed;
        for (const auto& [tableName, writes] : response.unprocessedItems) {
            json::array a;
            for (const auto& w : writes)
                a.push_back(w.isPut ? json::object { { "PutRequest", json::object { { "Item", itemToJson(w.item) } } } }
                                    : json::object { { "DeleteRequest", json::object { { "Key", itemToJson(w.item) } } } });
            unprocessed[tableName] = std::move(a);
        }
        out["UnprocessedItems"] = std::move(unprocessed);
        addCapacityList(out, response.consumed, mode);
        return withConsumed(ok(std::move(out)), response.consumed);
    }
    if (operation == "TransactWriteItems") {
        TransactWriteItemsRequest r;
        const auto mode = returnCapacity(f);
        returnCollectionMetrics(f);
        r.clientRequestToken = f.string("ClientRequestToken");
        const auto* items = f.find("TransactItems");
        if (!items)
            f.missing("TransactItems");
        else if (!items->is_array())
            f.fail(Fields::typeError(*items, "List", "TransactItems"));
        if (!f.ok())
            return failed();
        using Type = TransactWriteAction::Type;
        static const std::pair<const char*, Type> kActions[] = { { "ConditionCheck", Type::ConditionCheck },
            { "Put", Type::Put }, { "Update", Type::Update }, { "Delete", Type::Delete } };
        std::size_t index = 0;
        for (const auto& entry : items->get_array()) {
            const std::string field = "TransactItems[" + std::to_string(index++) + "]";
            const auto* o = entry.is_object() ? &entry.get_object() : nullptr;
            const json::value* body = nullptr;
            TransactWriteAction action;
            int present = 0;
            for (const auto& [name, type] : kActions) {
                if (const auto* v = o ? o->if_contains(name) : nullptr; v && !v->is_null()) {
                    body = v;
                    action.type = type;
                    ++present;
                }
            }
            if (present != 1)
                return errorResponse(Status::validation("TransactItems can only contain one of Check, Put, Update or "
                                                        "Delete (at "
                    + field + ")"));
            if (!body->is_object())
                return errorResponse(Fields::typeError(*body, "Structure", field));
            Fields e(*body);
            action.tableName = e.requiredString("TableName");
            action.item = e.requiredItem(action.type == Type::Put ? "Item" : "Key");
            action.updateExpression = e.string("UpdateExpression");
            action.conditionExpression = e.string("ConditionExpression");
            action.expressionAttributes = e.expressionInput();
            action.returnOldOnConditionFailure = returnOldOnFailure(e);
            if (!e.ok())
                return errorResponse(Status(e.status().type(), e.status().message() + " (at " + field + ")"));
            r.actions.push_back(std::move(action));
        }
        auto response = m_engine.transactWriteItems(r, now);
        if (!response.status) {
            WireResponse error = errorResponse(response.status);
            if (!response.cancellationReasons.empty()) {
                json::array reasons;
                for (const auto& reason : response.cancellationReasons) {
                    json::object o { { "Code", reason.code } };
                    if (!reason.message.empty())
                        o["Message"] = reason.message;
                    if (reason.item)
                        o["Item"] = itemToJson(*reason.item);
                    reasons.push_back(std::move(o));
                }
                error.body.as_object()["CancellationReasons"] = std::move(reasons);
            }
            return withConsumed(std::move(error), response.consumed);
        }
        json::object out;
        addCapacityList(out, response.consumed, mode);
        return withConsumed(ok(std::move(out)), response.consumed);
    }
    if (operation == "TransactGetItems") {
        TransactGetItemsRequest r;
        const auto mode = returnCapacity(f);
        const auto* items = f.find("TransactItems");
        if (!items)
            f.missing("TransactItems");
        else if (!items->is_array())
            f.fail(Fields::typeError(*items, "List", "TransactItems"));
        if (!f.ok())
            return failed();
        std::size_t index = 0;
        for (const auto& entry : items->get_array()) {
            const std::string field = "TransactItems[" + std::to_string(index++) + "]";
            const auto* get = entry.is_object() ? entry.get_object().if_contains("Get") : nullptr;
            if (!get || !get->is_object())
                return errorResponse(Status::validation("1 validation error detected: Value null at 'transactItems."
                    + std::to_string(index) + ".member.get' failed to satisfy constraint: Member must not be null"));
            Fields e(*get);
            TransactGetAction action;
            action.tableName = e.requiredString("TableName");
            action.key = e.requiredItem("Key");
            action.projectionExpression = e.string("ProjectionExpression");
            action.expressionAttributeNames = e.names(e.find("ExpressionAttributeNames"), "ExpressionAttributeNames");
            if (!e.ok())
                return errorResponse(Status(e.status().type(), e.status().message() + " (at " + field + ")"));
            r.gets.push_back(std::move(action));
        }
        auto response = m_engine.transactGetItems(r);
        if (!response.status)
            return withConsumed(errorResponse(response.status), response.consumed);
        json::object out;
        json::array responses;
        for (const auto& item : response.items) {
            json::object o;
            if (item)
                o["Item"] = itemToJson(*item);
            responses.push_back(std::move(o));
        }
        out["Responses"] = std::move(responses);
        addCapacityList(out, response.consumed, mode);
        return withConsumed(ok(std::move(out)), response.consumed);
    }
    return errorResponse(Status(error::kUnknownOperation,
        "capsim does not implement the operation " + std::string(operation)));
}

} // namespace capsim

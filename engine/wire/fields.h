#pragma once
// The one reader of request fields for the wire dispatcher: typed fields with DynamoDB's
// SerializationException and ValidationException messages, and the fields many operations
// share (TableName, ReturnConsumedCapacity, ReturnValues, Select, ProvisionedThroughput, ...).
// Internal to capsim_engine.

#include "engine/dispatcher.h"
#include "engine/json_codec.h"
#include "engine/operations.h"

#include <boost/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::wire {

namespace json = boost::json;

// "TableName" -> "tableName": DynamoDB's field paths in validation messages.
std::string lowerFirst(std::string_view name);

// Reads typed fields of a request object, recording the first problem. Field errors follow
// DynamoDB: wrong JSON type -> SerializationException, missing required -> ValidationException.
class Fields {
public:
    explicit Fields(const json::value& request)
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

// TableName, required.
std::string requiredTableName(Fields& f);

enum class ReturnCapacity { None, Total, Indexes };

// ReturnConsumedCapacity (NONE when absent).
ReturnCapacity returnCapacity(Fields& f);
// ReturnValues, if given.
std::optional<ReturnValues> returnValues(Fields& f);
// ReturnValuesOnConditionCheckFailure is ALL_OLD.
bool returnOldOnFailure(Fields& f);
// ReturnItemCollectionMetrics is SIZE.
bool returnCollectionMetrics(Fields& f);
// Select, if given.
std::optional<Select> selectOf(Fields& f);
// ProvisionedThroughput's ReadCapacityUnits and WriteCapacityUnits, if the field is given.
void readThroughput(Fields& f, std::optional<std::int64_t>& read, std::optional<std::int64_t>& write);

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

// The tables and indexes a request names, for the authorization check made before any handler
// runs: TableName (with IndexName), every table of RequestItems, and every TransactItems
// action's TableName. Best effort on a malformed request: what is not well formed is skipped
// (the handler then reports it).
std::vector<AccessResource> accessResources(const json::value& request);

} // namespace capsim::wire

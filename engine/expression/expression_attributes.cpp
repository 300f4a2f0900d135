#include "engine/expression/expression.h"

namespace capsim::expr {

namespace {

bool validPlaceholder(const std::string& key, char prefix)
{
    if (key.size() < 2 || key.front() != prefix)
        return false;
    for (std::size_t i = 1; i < key.size(); ++i) {
        const char c = key[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

std::string unusedKeys(const std::map<std::string, bool>& used)
{
    std::string keys;
    for (const auto& [key, wasUsed] : used) {
        if (wasUsed)
            continue;
        if (!keys.empty())
            keys += ", ";
        keys += key;
    }
    return keys;
}

} // namespace

ExpressionAttributes::ExpressionAttributes(std::map<std::string, std::string> names, Item values)
{
    setNames(std::move(names));
    setValues(std::move(values));
}

void ExpressionAttributes::setNames(std::map<std::string, std::string> names)
{
    m_hasNames = true;
    m_names = std::move(names);
    m_usedNames.clear();
    for (const auto& entry : m_names)
        m_usedNames[entry.first] = false;
}

void ExpressionAttributes::setValues(Item values)
{
    m_hasValues = true;
    m_values = std::move(values);
    m_usedValues.clear();
    for (const auto& entry : m_values)
        m_usedValues[entry.first] = false;
}

Result<std::string> ExpressionAttributes::name(const std::string& placeholder)
{
    auto it = m_names.find(placeholder);
    if (it == m_names.end())
        return Status::validation(
            "An expression attribute name used in the document path is not defined; attribute name: " + placeholder);
    m_usedNames[placeholder] = true;
    return it->second;
}

Result<AttributeValue> ExpressionAttributes::value(const std::string& placeholder)
{
    auto it = m_values.find(placeholder);
    if (it == m_values.end())
        return Status::validation(
            "An expression attribute value used in expression is not defined; attribute value: " + placeholder);
    m_usedValues[placeholder] = true;
    return it->second;
}

Status ExpressionAttributes::checkAllUsed() const
{
    if (m_hasNames && m_names.empty())
        return Status::validation("ExpressionAttributeNames must not be empty");
    if (m_hasValues && m_values.empty())
        return Status::validation("ExpressionAttributeValues must not be empty");
    for (const auto& entry : m_names) {
        if (!validPlaceholder(entry.first, '#'))
            return Status::validation(
                "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + entry.first + "\"");
    }
    for (const auto& entry : m_values) {
        if (!validPlaceholder(entry.first, ':'))
            return Status::validation(
                "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + entry.first + "\"");
    }
    if (m_expressionCount == 0) {
        if (m_hasNames)
            return Status::validation("ExpressionAttributeNames can only be specified when using expressions");
        if (m_hasValues)
            return Status::validation("ExpressionAttributeValues can only be specified when using expressions");
    }
    if (auto keys = unusedKeys(m_usedNames); !keys.empty())
        return Status::validation(
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {" + keys + "}");
    if (auto keys = unusedKeys(m_usedValues); !keys.empty())
        return Status::validation(
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {" + keys + "}");
    return Status::ok();
}

} // namespace capsim::expr

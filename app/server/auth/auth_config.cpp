#include "app/server/auth/auth_config.h"

#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace capsim::server {

namespace json = boost::json;

namespace {

constexpr std::string_view kBuiltInPolicy
    = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]})";

bool allOf(std::string_view text, bool (*ok)(char))
{
    return std::all_of(text.begin(), text.end(), ok);
}

// IAM user names: letters, digits and + = , . @ _ - (1 to 64 characters).
bool userNameChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("+=,.@_-").find(c) != std::string_view::npos;
}

// An access key travels in the Credential's first '/'-separated element.
bool accessKeyChar(char c)
{
    return std::isgraph(static_cast<unsigned char>(c)) && c != '/' && c != ',' && c != '=';
}

std::optional<std::string> requiredString(
    const json::object& o, std::string_view key, const std::string& path, std::vector<std::string>& errors)
{
    const json::value* v = o.if_contains(key);
    if (!v) {
        errors.push_back(path + "." + std::string(key) + ": missing");
        return std::nullopt;
    }
    if (!v->is_string() || v->get_string().empty()) {
        errors.push_back(path + "." + std::string(key) + ": must be a non-empty string");
        return std::nullopt;
    }
    return std::string(v->get_string());
}

std::optional<Principal> readPrincipal(const json::value& v, const std::string& path, std::vector<std::string>& errors)
{
    if (!v.is_object()) {
        errors.push_back(path + ": must be an object {\"name\",\"accessKeyId\",\"secretAccessKey\",\"policies\"}");
        return std::nullopt;
    }
    const std::size_t before = errors.size();
    const json::object& o = v.get_object();
    Principal p;
    for (const auto& [key, value] : o)
        if (key != "name" && key != "accessKeyId" && key != "secretAccessKey" && key != "policies")
            errors.push_back(path + "." + std::string(key)
                + ": unknown field (a principal has name, accessKeyId, secretAccessKey, policies)");
    if (const auto name = requiredString(o, "name", path, errors)) {
        p.name = *name;
        if (p.name.size() > 64 || !allOf(p.name, userNameChar))
            errors.push_back(
                path + ".name: '" + p.name + "' is not an IAM user name (1 to 64 letters, digits and + = , . @ _ -)");
    }
    if (const auto key = requiredString(o, "accessKeyId", path, errors)) {
        p.accessKeyId = *key;
        if (!allOf(p.accessKeyId, accessKeyChar))
            errors.push_back(path + ".accessKeyId: '" + p.accessKeyId
                + "' may not contain spaces, control characters, '/', ',' or '='");
    }
    if (const auto secret = requiredString(o, "secretAccessKey", path, errors))
        p.secretAccessKey = *secret;
    if (const json::value* policies = o.if_contains("policies")) {
        if (!policies->is_array()) {
            errors.push_back(path + ".policies: must be a list of IAM policy documents");
        } else {
            const auto& array = policies->get_array();
            for (std::size_t i = 0; i < array.size(); ++i)
                if (auto policy = Policy::fromJson(array[i], path + ".policies[" + std::to_string(i) + "]", errors))
                    p.policies.push_back(std::move(*policy));
        }
    } else {
        errors.push_back(path + ".policies: missing (a list of IAM policy documents)");
    }
    if (errors.size() != before)
        return std::nullopt;
    return p;
}

std::string joinLines(const std::vector<std::string>& errors)
{
    std::string out;
    for (const auto& e : errors)
        out += (out.empty() ? "" : "\n") + e;
    return out;
}

} // namespace

AuthConfig AuthConfig::builtIn()
{
    std::vector<std::string> errors;
    json::value policy = json::parse(kBuiltInPolicy);
    AuthConfig config;
    config.accountId = "000000000000";
    config.region = "us-east-1";
    config.principals.push_back(
        { "capsim", "capsim", "capsim-local-secret", { *Policy::fromJson(policy, "builtIn", errors) } });
    return config;
}

std::optional<AuthConfig> AuthConfig::fromJsonText(std::string_view text, std::string& error)
{
    json::value v;
    std::string parseError;
    if (!parseJsonText(text, v, parseError)) {
        error = "not JSON: " + parseError;
        return std::nullopt;
    }
    if (!v.is_object()) {
        error = "the document must be an object {\"accountId\",\"region\",\"principals\"}";
        return std::nullopt;
    }
    std::vector<std::string> errors;
    const json::object& o = v.get_object();
    AuthConfig config;
    for (const auto& [key, value] : o)
        if (key != "accountId" && key != "region" && key != "principals")
            errors.push_back(std::string(key) + ": unknown field (the document has accountId, region, principals)");
    if (const auto account = requiredString(o, "accountId", "", errors)) {
        config.accountId = *account;
        if (config.accountId.size() != 12 || !allOf(config.accountId, [](char c) { return c >= '0' && c <= '9'; }))
            errors.push_back("accountId: '" + config.accountId + "' is not a 12-digit AWS account id");
    }
    if (const auto region = requiredString(o, "region", "", errors)) {
        config.region = *region;
        if (!allOf(config.region, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }))
            errors.push_back("region: '" + config.region + "' is not a region name (like us-east-1)");
    }
    const json::value* principals = o.if_contains("principals");
    if (!principals) {
        errors.push_back("principals: missing");
    } else if (!principals->is_array() || principals->get_array().empty()) {
        errors.push_back("principals: must be a non-empty list");
    } else {
        std::map<std::string, std::size_t> keys, names;
        const auto& array = principals->get_array();
        for (std::size_t i = 0; i < array.size(); ++i) {
            const std::string path = "principals[" + std::to_string(i) + "]";
            auto p = readPrincipal(array[i], path, errors);
            if (!p)
                continue;
            if (auto [at, fresh] = keys.emplace(p->accessKeyId, i); !fresh)
                errors.push_back(path + ".accessKeyId: '" + p->accessKeyId + "' is already principals["
                    + std::to_string(at->second) + "]'s access key");
            if (auto [at, fresh] = names.emplace(p->name, i); !fresh)
                errors.push_back(
                    path + ".name: '" + p->name + "' is already principals[" + std::to_string(at->second) + "]'s name");
            config.principals.push_back(std::move(*p));
        }
    }
    // requiredString reports "accountId" as ".accountId" (no parent path): drop the leading dot.
    for (auto& e : errors)
        if (e.starts_with("."))
            e.erase(0, 1);
    if (!errors.empty()) {
        error = joinLines(errors);
        return std::nullopt;
    }
    return config;
}

std::optional<AuthConfig> AuthConfig::fromFile(const std::string& path, std::string& error)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot read " + path + ": no such file or not readable";
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto config = fromJsonText(text.str(), error);
    if (!config)
        error = path + ":\n" + error;
    return config;
}

const Principal* AuthConfig::principalByAccessKey(std::string_view accessKeyId) const
{
    for (const auto& p : principals)
        if (p.accessKeyId == accessKeyId)
            return &p;
    return nullptr;
}

std::string AuthConfig::principalArn(const Principal& principal) const
{
    return "arn:aws:iam::" + accountId + ":user/" + principal.name;
}

} // namespace capsim::server

#include "app/server/auth/access_control.h"

#include <boost/json.hpp>

namespace capsim::server {

AccessControl::AccessControl(AuthConfig config)
    : m_config(std::make_shared<const AuthConfig>(std::move(config)))
{
}

AccessControl AccessControl::builtIn()
{
    return AccessControl(AuthConfig::builtIn());
}

std::optional<AccessControl> AccessControl::fromFile(const std::string& path, std::string& error)
{
    auto config = AuthConfig::fromFile(path, error);
    if (!config)
        return std::nullopt;
    return AccessControl(std::move(*config));
}

Authentication AccessControl::authenticate(
    const HttpRequest& request, std::chrono::system_clock::time_point wallNow) const
{
    auto parsed = sigv4::parseAuthorization(request);
    if (auto* error = std::get_if<AuthError>(&parsed))
        return { std::nullopt, std::move(*error) };
    const auto& signedRequest = std::get<sigv4::SignedRequest>(parsed);
    // capsim issues no session credentials, so a token can only be one it cannot know (A12 (3)).
    const Principal* principal = m_config->principalByAccessKey(signedRequest.accessKeyId);
    if (!principal || sigv4::header(request, "X-Amz-Security-Token"))
        return { std::nullopt,
            { sigv4::kUnrecognizedClient, "The security token included in the request is invalid." } };
    if (auto error = sigv4::verify(request, signedRequest, principal->secretAccessKey, wallNow))
        return { std::nullopt, std::move(*error) };
    return { Identity { principal->name, m_config->principalArn(*principal), principal->accessKeyId,
                 signedRequest.scopeRegion },
        {} };
}

Authorizer AccessControl::authorizer(const Identity& identity) const
{
    return [config = m_config, identity](const AccessRequest& request) -> Status {
        const Principal* principal = config->principalByAccessKey(identity.accessKeyId);
        std::vector<AccessPair> pairs = request.pairs;
        // A request built without pairs is checked on the tables it names, else on "*".
        if (pairs.empty()) {
            for (const auto& r : request.resources)
                pairs.push_back({ request.action,
                    "table/" + r.tableName + (r.indexName.empty() ? "" : "/index/" + r.indexName), {}, false, {} });
            if (pairs.empty())
                pairs.push_back({ request.action, "*", {}, false, {} });
        }
        for (const auto& pair : pairs) {
            AccessContext context { pair.action, pair.arn(config->accountId, identity.region), identity.userName,
                pair.conditionKeys };
            const Decision decision = principal ? evaluate(principal->policies, context) : Decision::ImplicitDeny;
            if (decision == Decision::Allow)
                continue;
            // Part C 15's wordings.
            std::string message = "User: " + identity.principalArn + " is not authorized to perform: " + pair.action
                + " on resource: " + context.resourceArn;
            if (decision == Decision::ExplicitDeny)
                message += " with an explicit deny in an identity-based policy";
            else
                message += " because no identity-based policy allows the " + pair.action + " action";
            return Status(error::kAccessDenied, std::move(message));
        }
        return Status::ok();
    };
}

WireResponse AccessControl::errorResponse(const AuthError& error)
{
    WireResponse r;
    r.httpStatus = 400;
    r.errorType = error.type;
    r.body
        = boost::json::object { { "__type", "com.amazon.coral.service#" + error.type }, { "message", error.message } };
    return r;
}

} // namespace capsim::server

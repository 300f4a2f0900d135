#pragma once
// AccessControl: what `capsim serve` asks about every request (reference A12). authenticate()
// verifies its SigV4 signature against the configured access keys; authorizer() gives the
// Dispatcher the IAM check for the authenticated principal. Immutable after construction: its
// const methods may be called from any thread; an Authorizer shares the configuration.
//
// Per request:
//     auto auth = access.authenticate(httpRequest, std::chrono::system_clock::now());
//     if (!auth.ok()) return AccessControl::errorResponse(auth.error);   // HTTP 400
//     engine.setRegion(auth.identity->region);  // the region the request is signed for
//     dispatcher.setAuthorizer(access.authorizer(*auth.identity));
//     return dispatcher.dispatch(operation, body, engineNow);  // AccessDeniedException if denied

#include "app/server/auth/auth_config.h"
#include "app/server/auth/http_request.h"
#include "app/server/auth/sigv4.h"

#include "engine/dispatcher.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace capsim::server {

// Who signed a request.
struct Identity {
    std::string userName; // "alice": aws:username
    std::string principalArn; // "arn:aws:iam::123456789012:user/alice"
    std::string accessKeyId;
    // The credential scope's region: the region the request addresses (any is accepted, A11).
    std::string region;
};

// authenticate()'s answer: an identity, or the error to answer with.
struct Authentication {
    std::optional<Identity> identity;
    AuthError error; // when !identity
    bool ok() const { return identity.has_value(); }
};

class AccessControl {
public:
    // The default mode's single key pair (AuthConfig::builtIn()): user capsim, access key
    // `capsim`, secret `capsim-local-secret`, allowed everything.
    static AccessControl builtIn();
    // The `--auth FILE` document; nothing, with `error` naming every bad field, if it is not valid.
    static std::optional<AccessControl> fromFile(const std::string& path, std::string& error);
    explicit AccessControl(AuthConfig config);

    const AuthConfig& config() const { return *m_config; }

    // Reference A12's checks 1 to 5, in order: MissingAuthenticationTokenException,
    // IncompleteSignatureException, UnrecognizedClientException (unknown access key, or an
    // X-Amz-Security-Token header), InvalidSignatureException (scope, unsigned host, more than
    // 15 minutes from `wallNow` — the real clock, never a sped-up one — or a wrong signature).
    Authentication authenticate(const HttpRequest& request, std::chrono::system_clock::time_point wallNow) const;

    // The Dispatcher's authorizer for `identity`: every (action, resource) pair of the request
    // must be allowed by the principal's policies; the first pair that is not answers
    // AccessDeniedException with Part C 15's implicit- or explicit-deny wording. Resource ARNs
    // use the configured account and the identity's region.
    Authorizer authorizer(const Identity& identity) const;

    // HTTP 400, {"__type":"com.amazon.coral.service#<Type>","message":"..."}.
    static WireResponse errorResponse(const AuthError& error);

private:
    std::shared_ptr<const AuthConfig> m_config;
};

} // namespace capsim::server

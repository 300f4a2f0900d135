#pragma once
// The `--auth FILE` document of `capsim serve` (contracts/cli.md): the account, its default
// region and its principals, each with an access key pair and IAM policy documents. Also the
// built-in configuration of the default mode. Immutable value once read; thread-agnostic.

#include "app/server/auth/policy.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::server {

struct Principal {
    std::string name; // IAM user name: aws:username
    std::string accessKeyId;
    std::string secretAccessKey;
    std::vector<Policy> policies;
};

struct AuthConfig {
    std::string accountId; // 12 digits
    std::string region; // the account's default region
    std::vector<Principal> principals;

    // Account 000000000000, region us-east-1, one user `capsim` with access key `capsim`,
    // secret `capsim-local-secret` and one policy allowing dynamodb:* on *.
    static AuthConfig builtIn();

    // Reads the JSON document. Returns nothing and sets `error` to every problem found, one a
    // line, each naming its field ("principals[1].accessKeyId: ..."): unknown or missing fields,
    // wrong types, malformed policies, duplicate access keys or user names.
    static std::optional<AuthConfig> fromJsonText(std::string_view text, std::string& error);
    // As fromJsonText, for a file ("cannot read FILE: ..." when it cannot be read).
    static std::optional<AuthConfig> fromFile(const std::string& path, std::string& error);

    // The principal holding `accessKeyId`, or nullptr.
    const Principal* principalByAccessKey(std::string_view accessKeyId) const;
    // arn:aws:iam::<accountId>:user/<name>
    std::string principalArn(const Principal& principal) const;
};

} // namespace capsim::server

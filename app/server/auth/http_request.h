#pragma once
// One HTTP request as the server received it: what authentication reads. Value type.
#include <string>
#include <utility>
#include <vector>

namespace capsim::server {

struct HttpRequest {
    std::string method;  // "POST"
    std::string target;  // the request target as sent: path and query ("/", "/?a=b")
    // Header names as sent (compare case-insensitively), values as sent, in arrival order.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

} // namespace capsim::server

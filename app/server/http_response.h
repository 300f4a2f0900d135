#pragma once
// One HTTP response as the endpoint answers it, before the transport adds Content-Length and
// the connection headers. Value type.

#include <string>
#include <utility>
#include <vector>

namespace capsim::server {

struct HttpResponse {
    int status = 200;
    // Header names and values in sending order (Content-Length and Connection excluded).
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

} // namespace capsim::server

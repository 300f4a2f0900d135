#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <charconv>

namespace capsim {

namespace json = boost::json;

namespace {

void writeString(std::string& out, json::string_view s)
{
    out += json::serialize(json::value(s));
}

void writeDouble(std::string& out, double d)
{
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::fixed);
    if (ec != std::errc())
        end = std::to_chars(buffer, buffer + sizeof buffer, d).ptr;
    std::string text(buffer, end);
    if (text.find_first_of(".eE") == std::string::npos)
        text += ".0";
    out += text;
}

void write(std::string& out, const json::value& v, bool pretty, int depth)
{
    auto newline = [&](int level) {
        if (!pretty)
            return;
        out.push_back('\n');
        out.append(static_cast<std::size_t>(level) * 4, ' ');
    };
    switch (v.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(v.get_int64()); break;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case json::kind::double_: writeDouble(out, v.get_double()); break;
    case json::kind::string: writeString(out, v.get_string()); break;
    case json::kind::array: {
        const auto& a = v.get_array();
        out.push_back('[');
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (i)
                out.push_back(',');
            newline(depth + 1);
            write(out, a[i], pretty, depth + 1);
        }
        if (!a.empty())
            newline(depth);
        out.push_back(']');
        break;
    }
    case json::kind::object: {
        const auto& o = v.get_object();
        out.push_back('{');
        bool first = true;
        for (const auto& [key, value] : o) {
            if (!first)
                out.push_back(',');
            first = false;
            newline(depth + 1);
            writeString(out, key);
            out += pretty ? ": " : ":";
            write(out, value, pretty, depth + 1);
        }
        if (!o.empty())
            newline(depth);
        out.push_back('}');
        break;
    }
    }
}

} // namespace

std::string toJsonText(const json::value& value, bool pretty)
{
    std::string out;
    write(out, value, pretty, 0);
    return out;
}

bool parseJsonText(std::string_view text, json::value& out, std::string& error)
{
    json::parse_options options;
    options.max_depth = 256;
    boost::system::error_code ec;
    out = json::parse(json::string_view(text.data(), text.size()), ec, {}, options);
    if (ec) {
        error = ec.message();
        return false;
    }
    return true;
}

} // namespace capsim

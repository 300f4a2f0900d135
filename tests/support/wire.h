#pragma once
// Test support: run DynamoDB JSON requests through a Dispatcher and read the answers.

#include "engine/dispatcher.h"
#include "engine/json_writer.h"

#include <boost/json.hpp>

#include <QtTest>

namespace capsim::test {

// Test JSON is written with single quotes (J("{'a':1}")) so that moc, which does not
// understand raw string literals, can read the test sources.
inline std::string J(std::string text)
{
    for (auto& c : text)
        if (c == '\'')
            c = '"';
    return text;
}

inline QString Q(const std::string& text)
{
    return QString::fromStdString(J(text));
}

inline boost::json::value parse(const std::string& text)
{
    boost::json::value v;
    std::string error;
    if (!parseJsonText(text, v, error))
        qFatal("test JSON does not parse: %s\n%s", error.c_str(), text.c_str());
    return v;
}

// Executes a call and returns the response; `now` defaults to a fixed instant.
inline WireResponse call(Dispatcher& d, const std::string& operation, const std::string& request, EngineTime now = 0)
{
    return d.dispatch(operation, parse(request), now);
}

inline double units(const WireResponse& r)
{
    return r.body.as_object().at("ConsumedCapacity").as_object().at("CapacityUnits").to_number<double>();
}

inline QString text(const WireResponse& r)
{
    return QString::fromStdString(toJsonText(r.body));
}

inline QString message(const WireResponse& r)
{
    const auto* m = r.body.as_object().if_contains("message");
    return m ? QString::fromStdString(std::string(m->as_string())) : QString();
}

} // namespace capsim::test

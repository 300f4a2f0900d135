// Fuzz target: the expression parsers (engine/expression): key condition, condition/filter,
// projection and update. The first byte picks the parser, the rest is the expression, with a fixed
// set of ExpressionAttributeNames/Values. A parsed condition is evaluated and a parsed update
// applied to a sample item: errors are fine, crashes are not.

#include "engine/expression/expression.h"
#include "engine/json_codec.h"
#include "engine/json_writer.h"

#include <cstdint>
#include <string>

namespace {

capsim::Item sampleItem()
{
    boost::json::value json;
    std::string error;
    capsim::parseJsonText(R"({"pk":{"S":"a"},"sk":{"N":"1"},"n":{"N":"3.5"},"s":{"S":"hello"},"l":{"L":[{"N":"1"},{"S":"x"},{"M":{"d":{"BOOL":true}}}]},)"
                          R"("m":{"M":{"a":{"SS":["p","q"]},"b":{"NULL":true}}},"ns":{"NS":["1","2"]},"b":{"B":"AQID"}})",
        json, error);
    return std::move(capsim::itemFromJson(json, "Item")).value();
}

capsim::Item sampleValues()
{
    boost::json::value json;
    std::string error;
    capsim::parseJsonText(R"({":v":{"N":"1"},":s":{"S":"a"},":l":{"L":[{"N":"2"}]},":ss":{"SS":["p"]},":b":{"B":"AQ=="},":t":{"BOOL":true},":m":{"M":{}}})",
        json, error);
    return std::move(capsim::itemFromJson(json, "Item")).value();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    static const capsim::Item item = sampleItem();
    static const capsim::Item values = sampleValues();
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    capsim::expr::ExpressionAttributes attributes(
        { { "#n", "n" }, { "#pk", "pk" }, { "#sk", "sk" }, { "#m", "m" }, { "#dot", "a.b" } }, values);
    switch (data[0] % 5) {
    case 0:
        if (auto condition = capsim::expr::parseCondition(text, attributes, "ConditionExpression")) {
            static_cast<void>(condition->evaluate(item));
            static_cast<void>(condition->evaluate(capsim::Item {}));
            static_cast<void>(condition->topLevelNames());
        }
        break;
    case 1:
        if (auto projection = capsim::expr::parseProjection(text, attributes))
            static_cast<void>(projection->apply(item));
        break;
    case 2:
        if (auto update = capsim::expr::parseUpdate(text, attributes)) {
            capsim::Item copy = item;
            static_cast<void>(update->apply(copy, true));
            capsim::Item fresh;
            static_cast<void>(update->apply(fresh, false));
            static_cast<void>(update->targetPaths());
        }
        break;
    case 3:
        static_cast<void>(capsim::expr::parseKeyCondition(
            text, attributes, "pk", capsim::AttrType::S, std::string("sk"), capsim::AttrType::N));
        break;
    default:
        static_cast<void>(capsim::expr::parseKeyCondition(text, attributes, "pk", capsim::AttrType::B, std::nullopt, capsim::AttrType::S));
        break;
    }
    static_cast<void>(attributes.checkAllUsed());
    return 0;
}

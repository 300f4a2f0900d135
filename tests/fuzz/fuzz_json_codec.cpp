// Fuzz target: DynamoDB JSON (engine/json_codec). Any text: parsed as JSON, read as an item; a
// valid item is written back and read again and must come back equal (round trip), and its size
// must be computable. Invalid input must be an error, never a crash.

#include "engine/item_size.h"
#include "engine/json_codec.h"
#include "engine/json_writer.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    boost::json::value json;
    std::string error;
    if (!capsim::parseJsonText(text, json, error))
        return 0;
    auto item = capsim::itemFromJson(json, "Item");
    if (!item)
        return 0;
    static_cast<void>(capsim::itemSizeBytes(*item));
    const std::string written = capsim::toJsonText(capsim::itemToJson(*item));
    boost::json::value again;
    if (!capsim::parseJsonText(written, again, error))
        std::abort(); // capsim wrote JSON it cannot read
    auto reread = capsim::itemFromJson(again, "Item");
    if (!reread || !(*reread == *item))
        std::abort(); // the round trip changed the item
    return 0;
}

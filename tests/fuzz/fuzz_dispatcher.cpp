// Fuzz target: the wire dispatcher (engine/dispatcher), which `capsim call` and `capsim serve`
// share. The first byte picks one of the operations, the rest is its JSON request, run against an
// in-memory engine holding a table with a GSI, an LSI and items (recreated every 2,000 inputs so the
// state stays small). Any answer is fine, DynamoDB errors included; a crash is not.

#include "engine/dispatcher.h"
#include "engine/json_writer.h"

#include <cstdint>
#include <memory>
#include <string>

namespace {

struct Fixture {
    std::unique_ptr<capsim::Engine> engine;
    std::unique_ptr<capsim::Dispatcher> dispatcher;
    capsim::EngineTime now = 1'700'000'000'000'000;
    int uses = 0;

    void reset()
    {
        dispatcher.reset();
        engine = std::move(capsim::Engine::open(":memory:")).value();
        dispatcher = std::make_unique<capsim::Dispatcher>(*engine);
        run("CreateTable", R"({"TableName":"Fuzz","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},)"
                           R"({"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"g","AttributeType":"S"}],)"
                           R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],)"
                           R"("GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],)"
                           R"("Projection":{"ProjectionType":"ALL"}}],"LocalSecondaryIndexes":[{"IndexName":"byG2",)"
                           R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"g","KeyType":"RANGE"}],)"
                           R"("Projection":{"ProjectionType":"KEYS_ONLY"}}],"BillingMode":"PAY_PER_REQUEST"})");
        for (int i = 0; i < 5; ++i)
            run("PutItem", R"({"TableName":"Fuzz","Item":{"pk":{"S":"k)" + std::to_string(i % 2) + R"("},"sk":{"N":")"
                    + std::to_string(i) + R"("},"g":{"S":"g)" + std::to_string(i % 3) + R"("},"n":{"N":"1"}}})");
        uses = 0;
    }

    void run(std::string_view operation, const std::string& text)
    {
        boost::json::value request;
        std::string error;
        if (capsim::parseJsonText(text, request, error))
            static_cast<void>(dispatcher->dispatch(operation, request, now));
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    static const std::vector<std::string> operations = capsim::Dispatcher::operationNames();
    static Fixture fixture;
    if (!fixture.engine || ++fixture.uses > 2000)
        fixture.reset();
    fixture.now += 1'000'000; // a second per input: TTL, status changes and retention move on
    const std::string& operation = operations[data[0] % operations.size()];
    fixture.run(operation, std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    return 0;
}

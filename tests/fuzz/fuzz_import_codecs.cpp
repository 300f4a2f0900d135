// Fuzz target: the import readers (engine/exchange): CSV (with and without a header list, two
// delimiters), DynamoDB JSON lines and Ion text. The first byte picks the reader, the rest is the
// file. Every record or line error is fine; a crash or an endless read is not.

#include "engine/exchange/csv_reader.h"
#include "engine/exchange/dynamodb_json_lines.h"
#include "engine/exchange/ion_text.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    using namespace capsim::exchange;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::unique_ptr<DataFileReader> reader;
    switch (data[0] % 4) {
    case 0: {
        CsvImportOptions options;
        options.keyTypes = { { "pk", capsim::AttrType::S }, { "n", capsim::AttrType::N }, { "b", capsim::AttrType::B } };
        reader = std::make_unique<CsvItemReader>(text, options);
        break;
    }
    case 1: {
        CsvImportOptions options;
        options.delimiter = '|';
        options.headerList = std::vector<std::string> { "pk", "n", "x" };
        options.keyTypes = { { "pk", capsim::AttrType::S }, { "n", capsim::AttrType::N } };
        reader = std::make_unique<CsvItemReader>(text, options);
        break;
    }
    case 2: reader = std::make_unique<JsonLinesReader>(text); break;
    default: reader = std::make_unique<IonTextReader>(text); break;
    }
    DataLine line;
    // Each record consumes input: more records than bytes means the reader is not moving on.
    for (std::size_t records = 0; reader->next(line); ++records)
        if (records > size + 1)
            std::abort();
    return 0;
}

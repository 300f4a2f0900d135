#include "engine/exchange/import_format.h"

#include "engine/exchange/dynamodb_json_lines.h"
#include "engine/exchange/ion_text.h"

namespace capsim::exchange {

bool parseImportFormatName(std::string_view name, ImportFormat& out)
{
    if (name == "CSV")
        out = ImportFormat::Csv;
    else if (name == "DYNAMODB_JSON")
        out = ImportFormat::DynamoDbJson;
    else if (name == "ION")
        out = ImportFormat::Ion;
    else
        return false;
    return true;
}

bool parseCompressionName(std::string_view name, Compression& out)
{
    if (name == "NONE")
        out = Compression::None;
    else if (name == "GZIP")
        out = Compression::Gzip;
    else if (name == "ZSTD")
        out = Compression::Zstd;
    else
        return false;
    return true;
}

std::unique_ptr<DataFileReader> makeDataFileReader(
    ImportFormat format, std::string_view text, const CsvImportOptions& csv)
{
    switch (format) {
    case ImportFormat::Csv: return std::make_unique<CsvItemReader>(text, csv);
    case ImportFormat::DynamoDbJson: return std::make_unique<JsonLinesReader>(text);
    case ImportFormat::Ion: return std::make_unique<IonTextReader>(text);
    }
    return nullptr;
}

} // namespace capsim::exchange

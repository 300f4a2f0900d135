#pragma once
// ImportTable's InputFormat and InputCompressionType, and the reader of one source file
// (reference A9, Part C 10.2). Pure functions.

#include "engine/exchange/compression.h"
#include "engine/exchange/csv_reader.h"

#include <memory>
#include <string_view>

namespace capsim::exchange {

enum class ImportFormat { Csv, DynamoDbJson, Ion };

// The wire names: "CSV", "DYNAMODB_JSON", "ION"; "NONE", "GZIP", "ZSTD". False for others.
bool parseImportFormatName(std::string_view name, ImportFormat& out);
bool parseCompressionName(std::string_view name, Compression& out);

// A reader of one decompressed source file; it borrows `text`. `csv` is used for ImportFormat::Csv.
std::unique_ptr<DataFileReader> makeDataFileReader(
    ImportFormat format, std::string_view text, const CsvImportOptions& csv);

} // namespace capsim::exchange

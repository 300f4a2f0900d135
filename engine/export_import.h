#pragma once
// Export to S3 and import from S3 (reference A9, facts in Part C 10): the model's defaults, the
// requests and records of ImportTable, DescribeImport and ListImports, and the pure rules of
// their timing. The engine side is engine/imports.cpp, the S3 folder engine/s3_folder.h, the
// storage engine/sqlite/exchange_store.h, the file formats engine/exchange/. Value types and
// pure functions; thread-agnostic.

#include "engine/exchange/compression.h"
#include "engine/exchange/import_format.h"
#include "engine/operations.h"
#include "engine/table.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

// Model defaults (reference A9), which the simulator may override.
inline constexpr EngineTime kImportMinDuration = 100 * kMicrosPerSecond; // model.importMinSeconds
inline constexpr std::int64_t kImportBytesPerSecond = 32LL * 1024 * 1024; // model.importRate
inline constexpr EngineTime kExportMinDuration = 150 * kMicrosPerSecond; // model.exportMinSeconds
inline constexpr std::int64_t kExportBytesPerSecond = 32LL * 1024 * 1024; // model.exportRate
// An incremental export bills at least 10 MiB of change data (reference A9, A5).
inline constexpr std::int64_t kIncrementalExportMinBilledBytes = 10LL * 1024 * 1024;
// How many line errors an import keeps for DescribeImport's capsim block (DynamoDB writes them
// to CloudWatch Logs; reference C 10.2).
inline constexpr std::size_t kImportErrorsKept = 100;

// How long an import or export of `bytes` runs: max(minimum, bytes / rate), rounded up to the
// microsecond (reference A9).
EngineTime exchangeDuration(std::int64_t bytes, EngineTime minimum, std::int64_t bytesPerSecond);

enum class ImportStatus { InProgress, Completed, Failed };
const char* importStatusName(ImportStatus status);
// The wire names of ImportTable's InputFormat and InputCompressionType ("DYNAMODB_JSON", "GZIP"...).
const char* importFormatName(exchange::ImportFormat format);
const char* compressionName(exchange::Compression compression);

// ImportTable's request (reference A9). `requestEcho` is the wire layer's rendering of the
// request's S3BucketSource, InputFormat, InputFormatOptions, InputCompressionType and
// TableCreationParameters: kept with the import for DescribeImport, and compared when a
// ClientToken is reused.
struct ImportTableRequest {
    std::optional<std::string> clientToken;
    std::string s3Bucket;
    std::optional<std::string> s3BucketOwner;
    std::string s3KeyPrefix; // raw prefix of the object keys; empty: every object
    exchange::ImportFormat inputFormat = exchange::ImportFormat::DynamoDbJson;
    exchange::Compression compression = exchange::Compression::None;
    char csvDelimiter = ',';
    std::optional<std::vector<std::string>> csvHeaderList;
    CreateTableRequest tableCreationParameters;
    std::string requestEcho;
};

// One import, as DescribeImport gives it. Everything is decided at the request: the items are
// written then, and the import reads IN_PROGRESS (its table CREATING) until `endTime`.
struct ImportRecord {
    std::string importArn; // table ARN + "/import/" + id (reference A9)
    std::string tableName;
    std::string tableArn;
    std::string tableId; // empty when no table was made (S3NoSuchBucket)
    std::optional<std::string> clientToken;
    std::string s3Bucket;
    std::optional<std::string> s3BucketOwner;
    std::string s3KeyPrefix;
    exchange::ImportFormat inputFormat = exchange::ImportFormat::DynamoDbJson;
    exchange::Compression compression = exchange::Compression::None;
    EngineTime startTime = 0;
    EngineTime endTime = 0;
    ImportStatus outcome = ImportStatus::Completed; // the status from endTime on
    std::int64_t processedSizeBytes = 0; // uncompressed bytes of the source objects
    std::int64_t processedItemCount = 0; // records read (valid, invalid and unparseable)
    std::int64_t importedItemCount = 0; // valid items written, duplicates counted
    std::int64_t errorCount = 0;
    std::string failureCode; // ItemValidationError, S3NoSuchBucket
    std::string failureMessage;
    // The first kImportErrorsKept errors, "<object key>: line 3: ..." (CloudWatch Logs' part).
    std::vector<std::string> errors;
    std::string requestEcho;

    ImportStatus statusAt(EngineTime now) const { return now < endTime ? ImportStatus::InProgress : outcome; }
};

// ListImports: imports of `tableArn` (every table without it), in request order, a page of
// `pageSize` (1-25, default 25) after `nextToken`.
struct ListImportsRequest {
    std::optional<std::string> tableArn;
    std::optional<std::int64_t> pageSize;
    std::optional<std::string> nextToken;
};

struct ListImportsResult {
    std::vector<ImportRecord> imports;
    std::optional<std::string> nextToken;
};

// The DynamoDB error types of A9 (the wire "__type" suffix).
namespace error {
inline constexpr const char* kImportNotFound = "ImportNotFoundException";
inline constexpr const char* kImportConflict = "ImportConflictException";
inline constexpr const char* kExportNotFound = "ExportNotFoundException";
inline constexpr const char* kExportConflict = "ExportConflictException";
inline constexpr const char* kInvalidExportTime = "InvalidExportTimeException";
} // namespace error

} // namespace capsim

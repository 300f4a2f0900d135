#pragma once
// Export to S3 and import from S3 (reference A9, facts in Part C 10): the model's defaults, the
// requests and records of ImportTable, DescribeImport and ListImports, and the pure rules of
// their timing. The engine side is engine/imports.cpp, the S3 folder engine/s3_folder.h, the
// storage engine/sqlite/exchange_store.h, the file formats engine/exchange/. Value types and
// pure functions; thread-agnostic.

#include "engine/exchange/compression.h"
#include "engine/exchange/export_manifest.h"
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

// ---- ExportTableToPointInTime, DescribeExport, ListExports (reference A9, C 10.1) ----

enum class ExportType { Full, Incremental };
enum class ExportViewType { NewAndOldImages, NewImage };
enum class ExportStatus { InProgress, Completed, Failed };
const char* exportTypeName(ExportType type); // FULL_EXPORT / INCREMENTAL_EXPORT
const char* exportViewTypeName(ExportViewType view); // NEW_AND_OLD_IMAGES / NEW_IMAGE
const char* exportStatusName(ExportStatus status);

// The incremental export window: 15 minutes to 24 hours (reference C 10.1).
inline constexpr EngineTime kIncrementalExportMinWindow = 15 * 60 * kMicrosPerSecond;
inline constexpr EngineTime kIncrementalExportMaxWindow = 24 * kMicrosPerHour;

// ExportTableToPointInTime's request. `requestEcho` is the wire layer's rendering of the
// parameters a reused ClientToken must match.
struct ExportTableRequest {
    std::string tableArn;
    std::optional<std::string> clientToken;
    std::optional<EngineTime> exportTime; // full export; absent: the request time
    std::string s3Bucket;
    std::optional<std::string> s3BucketOwner;
    std::string s3Prefix; // empty: none
    std::optional<std::string> s3SseAlgorithm; // AES256 | KMS
    std::optional<std::string> s3SseKmsKeyId;
    exchange::ExportFormat exportFormat = exchange::ExportFormat::DynamoDbJson;
    ExportType exportType = ExportType::Full;
    std::optional<EngineTime> exportFromTime; // incremental: inclusive
    std::optional<EngineTime> exportToTime; // incremental: exclusive; absent: the request time
    ExportViewType exportViewType = ExportViewType::NewAndOldImages;
    std::string requestEcho;
};

// One export, as DescribeExport gives it. Decided at the request: its table's partitions (one
// data file each), BilledSizeBytes and the time it completes; written at completion
// (Engine::runExportWork), which fills in ItemCount and the outcome.
struct ExportRecord {
    std::string exportArn; // table ARN + "/export/" + ExportId (reference A9)
    std::string exportId;
    std::string tableName;
    std::string tableArn;
    std::string tableId;
    std::optional<std::string> clientToken;
    std::string s3Bucket;
    std::optional<std::string> s3BucketOwner;
    std::string s3Prefix;
    std::optional<std::string> s3SseAlgorithm;
    std::optional<std::string> s3SseKmsKeyId;
    exchange::ExportFormat exportFormat = exchange::ExportFormat::DynamoDbJson;
    ExportType exportType = ExportType::Full;
    EngineTime exportTime = 0; // full: the point in time; incremental: ExportToTime
    EngineTime exportFromTime = 0; // incremental
    EngineTime exportToTime = 0; // incremental
    ExportViewType exportViewType = ExportViewType::NewAndOldImages;
    EngineTime startTime = 0;
    EngineTime endTime = 0;
    bool written = false; // completion has run (files written, or the failure decided)
    ExportStatus outcome = ExportStatus::Completed; // the status once written
    std::int64_t billedSizeBytes = 0;
    std::int64_t itemCount = 0;
    std::string exportManifest; // key of manifest-summary.json
    std::string failureCode; // S3NoSuchBucket...
    std::string failureMessage;
    // The table's partitions at the request, [hashLow, hashHigh] each, in key order.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> partitions;
    std::string requestEcho;

    ExportStatus statusAt(EngineTime now) const
    {
        return !written || now < endTime ? ExportStatus::InProgress : outcome;
    }
};

// ListExports: exports of `tableArn` (every table without it), in reverse order of ExportArn, a
// page of `maxResults` (1-25, default 25) after `nextToken`.
struct ListExportsRequest {
    std::optional<std::string> tableArn;
    std::optional<std::int64_t> maxResults;
    std::optional<std::string> nextToken;
};

struct ListExportsResult {
    std::vector<ExportRecord> exports;
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

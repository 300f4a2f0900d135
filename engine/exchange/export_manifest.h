#pragma once
// The export folder layout and manifests (reference A9, Part C 10.1): object keys, the
// manifest-summary.json and manifest-files.json texts, and ISO 8601 times. Pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::exchange {

// ExportFormat of ExportTableToPointInTime.
enum class ExportFormat { DynamoDbJson, Ion };

// "DYNAMODB_JSON" / "ION", and ".json.gz" / ".ion.gz".
const char* exportFormatName(ExportFormat format);
const char* dataFileExtension(ExportFormat format);

// "<prefix>/AWSDynamoDB/<exportId>" (trailing '/' of the prefix dropped; no prefix, no level).
std::string exportFolderKey(std::string_view s3Prefix, std::string_view exportId);
// A data file's key: "<folder>/data/<name><ext>" for a full export, and the shared
// "<prefix>/AWSDynamoDB/data/<name><ext>" for an incremental one.
std::string exportDataFileKey(
    std::string_view s3Prefix, std::string_view exportId, std::string_view name, ExportFormat format, bool incremental);

// Microseconds since the Unix epoch as "2024-03-01T12:00:00.123Z" (UTC, milliseconds, truncated).
std::string iso8601Millis(std::int64_t micros);

// manifest-summary.json's fields; an empty optional is written as null.
struct ExportManifestSummary {
    std::string version = "2020-06-30";
    std::optional<std::string> exportArn;
    std::optional<std::int64_t> startTimeMicros;
    std::optional<std::int64_t> endTimeMicros;
    std::optional<std::string> tableArn;
    std::optional<std::string> tableId;
    std::optional<std::int64_t> exportTimeMicros;
    std::optional<std::string> s3Bucket;
    std::optional<std::string> s3Prefix;
    std::optional<std::string> s3SseAlgorithm;
    std::optional<std::string> s3SseKmsKeyId;
    std::optional<std::string> manifestFilesS3Key;
    std::optional<std::int64_t> billedSizeBytes;
    std::optional<std::int64_t> itemCount;
    std::optional<std::string> outputFormat;
    // Written only for incremental exports, after outputFormat.
    bool incremental = false;
    std::optional<std::string> exportType;
    std::optional<std::int64_t> exportFromTimeMicros;
    std::optional<std::int64_t> exportToTimeMicros;
    std::optional<std::string> outputView;
};

// The compact JSON object, fields in Part C 10.1's order (A9), without a trailing newline.
std::string manifestSummaryJson(const ExportManifestSummary& summary);

// One line of manifest-files.json.
struct ManifestFileEntry {
    std::int64_t itemCount = 0;
    std::string md5Checksum; // base64 MD5 of the object
    std::string etag; // hex MD5 of the raw MD5, "-1"
    std::string dataFileS3Key; // includes the prefix
};

// The entry of a data file from its (compressed) object bytes.
ManifestFileEntry manifestFileEntry(std::string_view objectBytes, std::int64_t itemCount, std::string dataFileS3Key);
// JSON Lines: {"itemCount":..,"md5Checksum":"..","etag":"..","dataFileS3Key":".."} and '\n' per file.
std::string manifestFilesJson(const std::vector<ManifestFileEntry>& files);

} // namespace capsim::exchange

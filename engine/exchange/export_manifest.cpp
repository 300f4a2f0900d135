#include "engine/exchange/export_manifest.h"

#include "engine/exchange/digests.h"
#include "engine/exchange/dynamodb_json_lines.h"

#include <chrono>
#include <cstdio>

namespace capsim::exchange {

namespace {

std::string trimmedPrefix(std::string_view s3Prefix)
{
    while (!s3Prefix.empty() && s3Prefix.back() == '/')
        s3Prefix.remove_suffix(1);
    return std::string(s3Prefix);
}

std::string underPrefix(std::string_view s3Prefix, std::string_view rest)
{
    const std::string prefix = trimmedPrefix(s3Prefix);
    return prefix.empty() ? std::string(rest) : prefix + "/" + std::string(rest);
}

void appendField(std::string& out, const char* name)
{
    if (out.size() > 1)
        out.push_back(',');
    out.push_back('"');
    out += name;
    out += "\":";
}

void appendString(std::string& out, const char* name, const std::optional<std::string>& value)
{
    appendField(out, name);
    if (value)
        appendJsonString(out, *value);
    else
        out += "null";
}

void appendInteger(std::string& out, const char* name, const std::optional<std::int64_t>& value)
{
    appendField(out, name);
    out += value ? std::to_string(*value) : std::string("null");
}

void appendTime(std::string& out, const char* name, const std::optional<std::int64_t>& micros)
{
    appendString(out, name, micros ? std::optional<std::string>(iso8601Millis(*micros)) : std::nullopt);
}

} // namespace

const char* exportFormatName(ExportFormat format)
{
    return format == ExportFormat::Ion ? "ION" : "DYNAMODB_JSON";
}

const char* dataFileExtension(ExportFormat format)
{
    return format == ExportFormat::Ion ? ".ion.gz" : ".json.gz";
}

std::string exportFolderKey(std::string_view s3Prefix, std::string_view exportId)
{
    return underPrefix(s3Prefix, "AWSDynamoDB/" + std::string(exportId));
}

std::string exportDataFileKey(
    std::string_view s3Prefix, std::string_view exportId, std::string_view name, ExportFormat format, bool incremental)
{
    const std::string file = std::string(name) + dataFileExtension(format);
    if (incremental)
        return underPrefix(s3Prefix, "AWSDynamoDB/data/" + file);
    return exportFolderKey(s3Prefix, exportId) + "/data/" + file;
}

std::string iso8601Millis(std::int64_t micros)
{
    using namespace std::chrono;
    const sys_time<milliseconds> time { floor<milliseconds>(microseconds(micros)) };
    const auto day = floor<days>(time);
    const year_month_day date { day };
    const hh_mm_ss<milliseconds> clock { time - day };
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
        static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()),
        static_cast<int>(clock.subseconds().count()));
    return buffer;
}

std::string manifestSummaryJson(const ExportManifestSummary& s)
{
    std::string out = "{";
    appendString(out, "version", s.version);
    appendString(out, "exportArn", s.exportArn);
    appendTime(out, "startTime", s.startTimeMicros);
    appendTime(out, "endTime", s.endTimeMicros);
    appendString(out, "tableArn", s.tableArn);
    appendString(out, "tableId", s.tableId);
    appendTime(out, "exportTime", s.exportTimeMicros);
    appendString(out, "s3Bucket", s.s3Bucket);
    appendString(out, "s3Prefix", s.s3Prefix);
    appendString(out, "s3SseAlgorithm", s.s3SseAlgorithm);
    appendString(out, "s3SseKmsKeyId", s.s3SseKmsKeyId);
    appendString(out, "manifestFilesS3Key", s.manifestFilesS3Key);
    appendInteger(out, "billedSizeBytes", s.billedSizeBytes);
    appendInteger(out, "itemCount", s.itemCount);
    appendString(out, "outputFormat", s.outputFormat);
    if (s.incremental) {
        appendString(out, "exportType", s.exportType);
        appendTime(out, "exportFromTime", s.exportFromTimeMicros);
        appendTime(out, "exportToTime", s.exportToTimeMicros);
        appendString(out, "outputView", s.outputView);
    }
    out.push_back('}');
    return out;
}

ManifestFileEntry manifestFileEntry(std::string_view objectBytes, std::int64_t itemCount, std::string dataFileS3Key)
{
    ManifestFileEntry entry;
    entry.itemCount = itemCount;
    entry.md5Checksum = md5Base64(objectBytes);
    entry.etag = s3SinglePartEtag(objectBytes);
    entry.dataFileS3Key = std::move(dataFileS3Key);
    return entry;
}

std::string manifestFilesJson(const std::vector<ManifestFileEntry>& files)
{
    std::string out;
    for (const auto& file : files) {
        out += "{\"itemCount\":" + std::to_string(file.itemCount) + ",\"md5Checksum\":";
        appendJsonString(out, file.md5Checksum);
        out += ",\"etag\":";
        appendJsonString(out, file.etag);
        out += ",\"dataFileS3Key\":";
        appendJsonString(out, file.dataFileS3Key);
        out += "}\n";
    }
    return out;
}

} // namespace capsim::exchange

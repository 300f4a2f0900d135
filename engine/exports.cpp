// Export to S3 (reference A9, facts in Part C 10.1): ExportTableToPointInTime (full and
// incremental), DescribeExport, ListExports, and the export's completion on the engine's clock.
// At the request the checks run in A9's order, the export is numbered, its partitions,
// BilledSizeBytes and completion time are fixed, and `_started` is written; at completion
// (runExportWork) the table as it was at ExportTime (or its changes in the window) is read from
// the PITR history and written as one gzip data file per partition, then manifest-files.json,
// manifest-summary.json and their .checksum files. Existing objects are never overwritten: an
// export whose target exists ends FAILED instead.

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/exchange/data_file_writer.h"
#include "engine/exchange/digests.h"
#include "engine/item_size.h"
#include "engine/s3_folder.h"
#include "engine/sqlite/exchange_store.h"
#include "engine/sqlite/pitr_store.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace capsim {

namespace json = boost::json;

using namespace engine_internal;

namespace {

constexpr const char* kExportKind = "export";
// A ClientToken identifies its export for 8 hours (the ExportTableToPointInTime API's ClientToken).
constexpr EngineTime kExportClientTokenLifetime = 8 * kMicrosPerHour;
constexpr std::int64_t kListExportsMaxResults = 25;
constexpr EngineTime kMicrosPerMilli = 1000;

EngineTime ceilToMillis(EngineTime t)
{
    return (t + kMicrosPerMilli - 1) / kMicrosPerMilli * kMicrosPerMilli;
}

json::value optionalString(const std::optional<std::string>& s)
{
    return s ? json::value(*s) : json::value(nullptr);
}

std::optional<std::string> optionalStringFrom(const json::object& o, const char* name)
{
    const auto* v = o.if_contains(name);
    if (!v || v->is_null())
        return std::nullopt;
    return std::string(v->as_string());
}

json::object exportToJson(const ExportRecord& r)
{
    json::object o;
    o["exportArn"] = r.exportArn;
    o["exportId"] = r.exportId;
    o["tableName"] = r.tableName;
    o["tableArn"] = r.tableArn;
    o["tableId"] = r.tableId;
    o["clientToken"] = optionalString(r.clientToken);
    o["s3Bucket"] = r.s3Bucket;
    o["s3BucketOwner"] = optionalString(r.s3BucketOwner);
    o["s3Prefix"] = r.s3Prefix;
    o["s3SseAlgorithm"] = optionalString(r.s3SseAlgorithm);
    o["s3SseKmsKeyId"] = optionalString(r.s3SseKmsKeyId);
    o["exportFormat"] = exchange::exportFormatName(r.exportFormat);
    o["exportType"] = exportTypeName(r.exportType);
    o["exportTime"] = r.exportTime;
    o["exportFromTime"] = r.exportFromTime;
    o["exportToTime"] = r.exportToTime;
    o["exportViewType"] = exportViewTypeName(r.exportViewType);
    o["startTime"] = r.startTime;
    o["endTime"] = r.endTime;
    o["written"] = r.written;
    o["outcome"] = exportStatusName(r.outcome);
    o["billedSizeBytes"] = r.billedSizeBytes;
    o["itemCount"] = r.itemCount;
    o["exportManifest"] = r.exportManifest;
    o["failureCode"] = r.failureCode;
    o["failureMessage"] = r.failureMessage;
    json::array partitions;
    for (const auto& [low, high] : r.partitions)
        partitions.push_back(json::array { low, high });
    o["partitions"] = std::move(partitions);
    o["requestEcho"] = r.requestEcho;
    return o;
}

Result<ExportRecord> exportFromJson(const std::string& text)
{
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_object())
        return Status::internal("a stored export record is not JSON");
    try {
        const auto& o = v.as_object();
        auto str = [&](const char* name) { return std::string(o.at(name).as_string()); };
        auto num = [&](const char* name) { return o.at(name).to_number<std::int64_t>(); };
        ExportRecord r;
        r.exportArn = str("exportArn");
        r.exportId = str("exportId");
        r.tableName = str("tableName");
        r.tableArn = str("tableArn");
        r.tableId = str("tableId");
        r.clientToken = optionalStringFrom(o, "clientToken");
        r.s3Bucket = str("s3Bucket");
        r.s3BucketOwner = optionalStringFrom(o, "s3BucketOwner");
        r.s3Prefix = str("s3Prefix");
        r.s3SseAlgorithm = optionalStringFrom(o, "s3SseAlgorithm");
        r.s3SseKmsKeyId = optionalStringFrom(o, "s3SseKmsKeyId");
        r.exportFormat = str("exportFormat") == "ION" ? exchange::ExportFormat::Ion : exchange::ExportFormat::DynamoDbJson;
        r.exportType = str("exportType") == "INCREMENTAL_EXPORT" ? ExportType::Incremental : ExportType::Full;
        r.exportTime = num("exportTime");
        r.exportFromTime = num("exportFromTime");
        r.exportToTime = num("exportToTime");
        r.exportViewType
            = str("exportViewType") == "NEW_IMAGE" ? ExportViewType::NewImage : ExportViewType::NewAndOldImages;
        r.startTime = num("startTime");
        r.endTime = num("endTime");
        r.written = o.at("written").as_bool();
        r.outcome = str("outcome") == "FAILED" ? ExportStatus::Failed : ExportStatus::Completed;
        r.billedSizeBytes = num("billedSizeBytes");
        r.itemCount = num("itemCount");
        r.exportManifest = str("exportManifest");
        r.failureCode = str("failureCode");
        r.failureMessage = str("failureMessage");
        for (const auto& p : o.at("partitions").as_array()) {
            const auto& pair = p.as_array();
            r.partitions.emplace_back(pair.at(0).to_number<std::uint64_t>(), pair.at(1).to_number<std::uint64_t>());
        }
        r.requestEcho = str("requestEcho");
        return r;
    } catch (const std::exception& e) {
        return Status::internal(std::string("a stored export record is malformed: ") + e.what());
    }
}

Status exportNotFound(const std::string& arn)
{
    return Status(error::kExportNotFound, "Export not found: " + arn);
}

// "arn:aws:dynamodb:<region>:<account>:table/<name>" → name; empty when `arn` is not a table ARN.
std::string tableNameOfArn(const std::string& arn)
{
    constexpr std::string_view kArnStart = "arn:aws:dynamodb:";
    if (!arn.starts_with(kArnStart))
        return {};
    const auto regionEnd = arn.find(':', kArnStart.size());
    if (regionEnd == std::string::npos || regionEnd == kArnStart.size())
        return {};
    const auto accountEnd = arn.find(':', regionEnd + 1);
    if (accountEnd == std::string::npos || accountEnd == regionEnd + 1)
        return {};
    const std::string_view rest = std::string_view(arn).substr(accountEnd + 1);
    if (!rest.starts_with("table/"))
        return {};
    const std::string name(rest.substr(6));
    if (name.empty() || name.find('/') != std::string::npos)
        return {};
    return name;
}

// The prefix as the keys use it: without its trailing '/'.
std::string prefixOf(const std::string& s3Prefix)
{
    std::string p = s3Prefix;
    while (!p.empty() && p.back() == '/')
        p.pop_back();
    return p;
}

using KeyTuple = std::tuple<std::uint64_t, std::string, std::string>;

} // namespace

const char* exportTypeName(ExportType type)
{
    return type == ExportType::Incremental ? "INCREMENTAL_EXPORT" : "FULL_EXPORT";
}

const char* exportViewTypeName(ExportViewType view)
{
    return view == ExportViewType::NewImage ? "NEW_IMAGE" : "NEW_AND_OLD_IMAGES";
}

const char* exportStatusName(ExportStatus status)
{
    switch (status) {
    case ExportStatus::InProgress: return "IN_PROGRESS";
    case ExportStatus::Completed: return "COMPLETED";
    case ExportStatus::Failed: return "FAILED";
    }
    return "";
}

namespace {

// The lines of an incremental export in one hash range, in key order (reference A9): per key
// whose state just before ExportToTime differs from that just before ExportFromTime, NewImage
// (absent if deleted), OldImage (absent if new; never under NEW_IMAGE) and the time of its last
// write in the window.
struct IncrementalReader {
    Engine& engine;
    PitrStore& pitr;
    const TableState& table;
    const ExportRecord& record;

    Status visit(std::uint64_t low, std::uint64_t high, const std::function<void(const exchange::ChangeRecord&)>& out)
    {
        // "Just before T" is the state at T - 1 µs; ExportFromTime at the very start of the
        // window reads the state at the start (nothing of the table is older).
        const EngineTime earliest
            = ceilToMillis(earliestRestorableTime(table.pointInTimeRecovery, engine.now()));
        const EngineTime from = std::max(record.exportFromTime - 1, earliest);
        const EngineTime to = std::max(record.exportToTime - 1, from);
        std::map<KeyTuple, EngineTime> lastWrite;
        CAPSIM_RETURN_IF_ERROR(pitr.lastChangeTimes(table.id, from, to, low, high,
            [&](const StoredKey& key, EngineTime time) {
                lastWrite[KeyTuple { key.hash, key.partitionKey, key.sortKey }] = time;
                return true;
            }));
        return engine.visitChangesBetween(table.name, from, to, low, high, [&](const Engine::ItemChangeBetween& c) {
            if (c.before && c.after && *c.before == *c.after)
                return true;
            exchange::ChangeRecord line;
            line.keys = c.key;
            line.newImage = c.after;
            if (record.exportViewType == ExportViewType::NewAndOldImages)
                line.oldImage = c.before;
            const StoredKey stored = storedKeyOf(table.key, c.key);
            if (auto it = lastWrite.find(KeyTuple { stored.hash, stored.partitionKey, stored.sortKey });
                it != lastWrite.end())
                line.writeTimestampMicros = it->second;
            out(line);
            return true;
        });
    }
};

// What an incremental export bills for a line: the A1 sizes of the images it writes.
std::int64_t imageBytes(const exchange::ChangeRecord& line)
{
    std::int64_t bytes = 0;
    if (line.newImage)
        bytes += itemSizeBytes(*line.newImage);
    if (line.oldImage)
        bytes += itemSizeBytes(*line.oldImage);
    return bytes;
}

} // namespace

Result<ExportRecord> Engine::exportTableToPointInTime(const ExportTableRequest& request, EngineTime now)
{
    m_now = std::max(m_now, now);
    // The request's shape (ValidationException), before anything about the table.
    const std::string name = tableNameOfArn(request.tableArn);
    if (name.empty())
        return Status::validation("1 validation error detected: Value '" + request.tableArn
            + "' at 'tableArn' failed to satisfy constraint: Member must be a table ARN "
              "(arn:aws:dynamodb:<region>:<account>:table/<name>)");
    if (!validS3BucketName(request.s3Bucket))
        return Status::validation("1 validation error detected: Value '" + request.s3Bucket
            + "' at 's3Bucket' failed to satisfy constraint: Member must satisfy regular expression pattern: "
              "^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
    const std::string prefix = prefixOf(request.s3Prefix);
    if (!prefix.empty() && !S3Folder::safeKey(prefix))
        return Status::validation("1 validation error detected: Value '" + request.s3Prefix
            + "' at 's3Prefix' failed to satisfy constraint: capsim stores objects under the bucket's folder only "
              "(no empty, '.' or '..' component, not absolute)");
    const bool incremental = request.exportType == ExportType::Incremental;
    if (incremental && request.exportTime)
        return Status::validation("ExportTime cannot be specified for an INCREMENTAL_EXPORT");
    if (incremental && !request.exportFromTime)
        return Status::validation("IncrementalExportSpecification.ExportFromTime is required for an INCREMENTAL_EXPORT");
    if (!incremental && (request.exportFromTime || request.exportToTime))
        return Status::validation("IncrementalExportSpecification can only be specified for an INCREMENTAL_EXPORT");

    // A9's checks in order: table, PITR, times, incremental window, ClientToken.
    TableState* t = findTable(name);
    if (!t || request.tableArn != tableArn(name))
        return Status(error::kTableNotFound, "Table not found: " + name);
    if (!t->pointInTimeRecovery.enabled)
        return Status(error::kPointInTimeRecoveryUnavailable,
            "Point in time recovery is not enabled for table '" + t->name + "'");
    const EngineTime earliest = ceilToMillis(earliestRestorableTime(t->pointInTimeRecovery, now));
    const std::string window = exchange::iso8601Millis(earliest) + " and " + exchange::iso8601Millis(now);
    EngineTime exportTime = now;
    EngineTime from = 0;
    EngineTime to = 0;
    if (incremental) {
        from = *request.exportFromTime;
        to = request.exportToTime.value_or(now);
        if (from < earliest || from > now || to < earliest || to > now)
            return Status(error::kInvalidExportTime,
                "Invalid export time specified. ExportFromTime and ExportToTime must be between " + window);
        if (to <= from)
            return Status::validation("ExportFromTime must be earlier than ExportToTime");
        if (to - from < kIncrementalExportMinWindow || to - from > kIncrementalExportMaxWindow)
            return Status::validation("The incremental export period (ExportToTime - ExportFromTime) must be between "
                                      "15 minutes and 24 hours");
        exportTime = to;
    } else {
        exportTime = request.exportTime.value_or(now);
        if (exportTime < earliest || exportTime > now)
            return Status(error::kInvalidExportTime, "Invalid export time specified. ExportTime must be between " + window);
    }
    if (request.clientToken) {
        auto previous = m_exchangeStore->findByClientToken(kExportKind, *request.clientToken);
        if (!previous)
            return previous.status();
        if (*previous) {
            auto record = exportFromJson((*previous)->record);
            if (!record)
                return record.status();
            if (now < record->startTime + kExportClientTokenLifetime) {
                if (record->requestEcho != request.requestEcho)
                    return Status(error::kExportConflict,
                        "Export conflict: Duplicate request detected with conflicting parameters");
                return record;
            }
        }
    }

    ExportRecord record;
    record.tableName = name;
    record.tableArn = tableArn(name);
    record.tableId = t->tableUuid();
    record.clientToken = request.clientToken;
    record.s3Bucket = request.s3Bucket;
    record.s3BucketOwner = request.s3BucketOwner;
    record.s3Prefix = request.s3Prefix;
    record.s3SseAlgorithm = request.s3SseAlgorithm;
    record.s3SseKmsKeyId = request.s3SseKmsKeyId;
    record.exportFormat = request.exportFormat;
    record.exportType = request.exportType;
    record.exportTime = exportTime;
    record.exportFromTime = from;
    record.exportToTime = to;
    record.exportViewType = request.exportViewType;
    record.startTime = now;
    record.requestEcho = request.requestEcho;
    for (const auto& p : t->partitions)
        record.partitions.emplace_back(p.hashLow, p.hashHigh);
    // BilledSizeBytes (reference A9): full, the table's and its LSIs' billable bytes; incremental,
    // the image bytes of its lines, at least 10 MiB.
    if (incremental) {
        std::int64_t bytes = 0;
        IncrementalReader reader { *this, *m_pitrStore, *t, record };
        CAPSIM_RETURN_IF_ERROR(
            reader.visit(0, UINT64_MAX, [&](const exchange::ChangeRecord& line) { bytes += imageBytes(line); }));
        record.billedSizeBytes = std::max(bytes, kIncrementalExportMinBilledBytes);
    } else {
        record.billedSizeBytes = pitrBillableBytes(name);
    }
    record.endTime = now + exchangeDuration(record.billedSizeBytes, m_exportMinDuration, m_exportBytesPerSecond);

    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    auto fail = [&](Status s) -> Status {
        m_store->rollback();
        return s;
    };
    auto id = nextResourceId(now);
    if (!id)
        return fail(id.status());
    record.exportId = *id;
    record.exportArn = record.tableArn + "/export/" + *id;
    const std::string folder = exchange::exportFolderKey(prefix, record.exportId);
    record.exportManifest = folder + "/manifest-summary.json";

    // `_started` now, unless the bucket is missing (the export fails at completion, with no
    // files) or something is already in the export's folder (never overwritten: it fails).
    const S3Folder s3(m_s3Root);
    bool writeStarted = false;
    if (s3.bucketExists(record.s3Bucket)) {
        auto existing = s3.listObjects(record.s3Bucket, folder + "/");
        if (!existing)
            return fail(existing.status());
        if (!existing->empty()) {
            record.written = true;
            record.outcome = ExportStatus::Failed;
            record.failureCode = "S3ObjectExists";
            record.failureMessage = "capsim does not overwrite the existing object " + existing->front();
        } else {
            writeStarted = true;
        }
    }
    ExchangeJobRow row;
    row.kind = kExportKind;
    row.arn = record.exportArn;
    row.tableArn = record.tableArn;
    row.clientToken = record.clientToken;
    row.record = json::serialize(exportToJson(record));
    if (!record.written)
        row.dueAt = record.endTime;
    if (Status s = m_exchangeStore->put(row); !s)
        return fail(s);
    if (writeStarted)
        if (Status s = s3.writeObject(record.s3Bucket, folder + "/_started", ""); !s)
            return fail(s);
    if (Status s = m_store->commit(); !s)
        return fail(s);
    return record;
}

Status Engine::writeExport(ExportRecord& record)
{
    record.written = true;
    auto failed = [&](std::string code, std::string message) {
        record.outcome = ExportStatus::Failed;
        record.failureCode = std::move(code);
        record.failureMessage = std::move(message);
        return Status::ok();
    };
    const S3Folder s3(m_s3Root);
    if (!s3.bucketExists(record.s3Bucket))
        return failed("S3NoSuchBucket", "The specified bucket does not exist: " + record.s3Bucket);
    const TableState* t = table(record.tableName);
    if (!t)
        return failed(error::kTableNotFound, "Table not found: " + record.tableName);
    const bool incremental = record.exportType == ExportType::Incremental;
    const std::string prefix = prefixOf(record.s3Prefix);
    const std::string folder = exchange::exportFolderKey(prefix, record.exportId);

    // The data files, one per partition of the request, in key order.
    struct DataFile {
        std::string key;
        std::string object;
        std::int64_t itemCount = 0;
    };
    std::vector<DataFile> files;
    std::int64_t itemCount = 0;
    for (std::size_t ordinal = 0; ordinal < record.partitions.size(); ++ordinal) {
        const auto [low, high] = record.partitions[ordinal];
        exchange::DataFileWriter writer(record.exportFormat);
        Status read;
        if (incremental) {
            IncrementalReader reader { *this, *m_pitrStore, *t, record };
            read = reader.visit(low, high, [&](const exchange::ChangeRecord& line) { writer.addChange(line); });
        } else {
            read = visitItemsAt(record.tableName, record.exportTime, low, high, [&](const Item& item, std::int64_t) {
                writer.addItem(item);
                return true;
            });
        }
        // The history is gone (PITR disabled or the table deleted meanwhile): the export fails.
        if (!read)
            return failed(read.type(), read.message());
        const std::string name = exchange::exportDataFileName(record.exportArn, ordinal);
        files.push_back({ exchange::exportDataFileKey(prefix, record.exportId, name, record.exportFormat, incremental),
            writer.gzipObject(), writer.itemCount() });
        itemCount += writer.itemCount();
    }
    std::vector<exchange::ManifestFileEntry> entries;
    for (const auto& f : files)
        entries.push_back(exchange::manifestFileEntry(f.object, f.itemCount, f.key));
    const std::string manifestFiles = exchange::manifestFilesJson(entries);

    exchange::ExportManifestSummary summary;
    summary.exportArn = record.exportArn;
    summary.startTimeMicros = record.startTime;
    summary.endTimeMicros = record.endTime;
    summary.tableArn = record.tableArn;
    summary.tableId = record.tableId;
    summary.exportTimeMicros = record.exportTime;
    summary.s3Bucket = record.s3Bucket;
    if (!record.s3Prefix.empty())
        summary.s3Prefix = record.s3Prefix;
    summary.s3SseAlgorithm = record.s3SseAlgorithm;
    summary.s3SseKmsKeyId = record.s3SseKmsKeyId;
    summary.manifestFilesS3Key = folder + "/manifest-files.json";
    summary.billedSizeBytes = record.billedSizeBytes;
    summary.itemCount = itemCount;
    summary.outputFormat = exchange::exportFormatName(record.exportFormat);
    if (incremental) {
        summary.incremental = true;
        summary.exportType = exportTypeName(record.exportType);
        summary.exportFromTimeMicros = record.exportFromTime;
        summary.exportToTimeMicros = record.exportToTime;
        summary.outputView = exportViewTypeName(record.exportViewType);
    }
    const std::string summaryText = exchange::manifestSummaryJson(summary);

    std::vector<std::pair<std::string, std::string>> objects;
    for (auto& f : files)
        objects.emplace_back(f.key, std::move(f.object));
    objects.emplace_back(folder + "/manifest-files.json", manifestFiles);
    objects.emplace_back(folder + "/manifest-files.checksum", exchange::md5Hex(manifestFiles));
    objects.emplace_back(folder + "/manifest-summary.json", summaryText);
    objects.emplace_back(folder + "/manifest-summary.checksum", exchange::md5Hex(summaryText));

    // Never overwrite: any target already there fails the export before anything is written.
    auto existing = s3.listObjects(record.s3Bucket, prefix.empty() ? "AWSDynamoDB/" : prefix + "/AWSDynamoDB/");
    if (!existing)
        return failed("S3AccessDenied", existing.status().message());
    const std::set<std::string> present(existing->begin(), existing->end());
    for (const auto& [key, bytes] : objects)
        if (present.count(key))
            return failed("S3ObjectExists", "capsim does not overwrite the existing object " + key);
    for (const auto& [key, bytes] : objects)
        if (Status s = s3.writeObject(record.s3Bucket, key, bytes); !s)
            return failed("S3AccessDenied", "writing " + key + ": " + s.message());
    record.outcome = ExportStatus::Completed;
    record.itemCount = itemCount;
    return Status::ok();
}

Status Engine::runExportWork(EngineTime now)
{
    std::vector<ExchangeJobRow> due;
    CAPSIM_RETURN_IF_ERROR(m_exchangeStore->due(kExportKind, now, [&](const ExchangeJobRow& row) {
        due.push_back(row);
        return true;
    }));
    for (auto& row : due) {
        auto record = exportFromJson(row.record);
        if (!record)
            return record.status();
        // The export is written as at its completion time (its window checks read that clock).
        const EngineTime clock = m_now;
        m_now = std::min(m_now, record->endTime);
        Status written = writeExport(*record);
        m_now = clock;
        CAPSIM_RETURN_IF_ERROR(written);
        row.record = json::serialize(exportToJson(*record));
        row.dueAt.reset();
        CAPSIM_RETURN_IF_ERROR(m_exchangeStore->put(row));
    }
    return Status::ok();
}

Result<ExportRecord> Engine::describeExport(const std::string& exportArn)
{
    auto row = m_exchangeStore->find(kExportKind, exportArn);
    if (!row)
        return row.status();
    if (!*row)
        return exportNotFound(exportArn);
    return exportFromJson((*row)->record);
}

Result<ListExportsResult> Engine::listExports(const ListExportsRequest& request)
{
    const std::int64_t maxResults = request.maxResults.value_or(kListExportsMaxResults);
    if (maxResults < 1 || maxResults > kListExportsMaxResults)
        return Status::validation("1 validation error detected: Value '" + std::to_string(maxResults)
            + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 25 and "
              "greater than or equal to 1");
    // Reverse alphanumeric order of ExportArn (the ListExports API); NextToken: the page's last ARN.
    std::vector<ExportRecord> all;
    Status decoded;
    CAPSIM_RETURN_IF_ERROR(m_exchangeStore->list(kExportKind, request.tableArn, 0, [&](const ExchangeJobRow& row) {
        if (request.nextToken && row.arn >= *request.nextToken)
            return true;
        auto record = exportFromJson(row.record);
        if (!record) {
            decoded = record.status();
            return false;
        }
        all.push_back(std::move(record).value());
        return true;
    }));
    CAPSIM_RETURN_IF_ERROR(decoded);
    std::sort(all.begin(), all.end(), [](const ExportRecord& a, const ExportRecord& b) { return a.exportArn > b.exportArn; });
    ListExportsResult result;
    for (auto& record : all) {
        if (static_cast<std::int64_t>(result.exports.size()) == maxResults) {
            result.nextToken = result.exports.back().exportArn;
            break;
        }
        result.exports.push_back(std::move(record));
    }
    return result;
}

} // namespace capsim

// Import from S3 (reference A9, facts in Part C 10.2): ImportTable, DescribeImport, ListImports,
// and the imported table's CREATING time. Items are read by the formats of engine/exchange/
// and written through the one write path (Engine::applyWrite, cause Import).

#include "engine/engine.h"
#include "engine/engine_internal.h"
#include "engine/exchange/data_file_reader.h"
#include "engine/index_entries.h"
#include "engine/s3_folder.h"
#include "engine/sqlite/exchange_store.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace capsim {

namespace json = boost::json;

using namespace engine_internal;

namespace {

constexpr const char* kImportKind = "import";
// A ClientToken identifies its import for 8 hours (the ImportTable API's ClientToken).
constexpr EngineTime kImportClientTokenLifetime = 8 * kMicrosPerHour;
constexpr std::int64_t kListImportsMaxPageSize = 25;

const char* kItemValidationMessage = "Some of the items failed validation checks and were not imported. Please "
                                     "check CloudWatch error logs for more details.";

json::object importToJson(const ImportRecord& r)
{
    json::object o;
    o["importArn"] = r.importArn;
    o["tableName"] = r.tableName;
    o["tableArn"] = r.tableArn;
    o["tableId"] = r.tableId;
    if (r.clientToken)
        o["clientToken"] = *r.clientToken;
    o["s3Bucket"] = r.s3Bucket;
    if (r.s3BucketOwner)
        o["s3BucketOwner"] = *r.s3BucketOwner;
    o["s3KeyPrefix"] = r.s3KeyPrefix;
    o["inputFormat"] = importFormatName(r.inputFormat);
    o["compression"] = compressionName(r.compression);
    o["startTime"] = r.startTime;
    o["endTime"] = r.endTime;
    o["outcome"] = importStatusName(r.outcome);
    o["processedSizeBytes"] = r.processedSizeBytes;
    o["processedItemCount"] = r.processedItemCount;
    o["importedItemCount"] = r.importedItemCount;
    o["errorCount"] = r.errorCount;
    o["failureCode"] = r.failureCode;
    o["failureMessage"] = r.failureMessage;
    json::array errors;
    for (const auto& e : r.errors)
        errors.emplace_back(e);
    o["errors"] = std::move(errors);
    o["requestEcho"] = r.requestEcho;
    return o;
}

Result<ImportRecord> importFromJson(const std::string& text)
{
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_object())
        return Status::internal("a stored import record is not JSON");
    try {
        const auto& o = v.as_object();
        auto str = [&](const char* name) { return std::string(o.at(name).as_string()); };
        ImportRecord r;
        r.importArn = str("importArn");
        r.tableName = str("tableName");
        r.tableArn = str("tableArn");
        r.tableId = str("tableId");
        if (o.contains("clientToken"))
            r.clientToken = str("clientToken");
        r.s3Bucket = str("s3Bucket");
        if (o.contains("s3BucketOwner"))
            r.s3BucketOwner = str("s3BucketOwner");
        r.s3KeyPrefix = str("s3KeyPrefix");
        if (!exchange::parseImportFormatName(str("inputFormat"), r.inputFormat)
            || !exchange::parseCompressionName(str("compression"), r.compression))
            return Status::internal("a stored import record has an unknown format");
        r.startTime = o.at("startTime").to_number<std::int64_t>();
        r.endTime = o.at("endTime").to_number<std::int64_t>();
        r.outcome = str("outcome") == "COMPLETED" ? ImportStatus::Completed : ImportStatus::Failed;
        r.processedSizeBytes = o.at("processedSizeBytes").to_number<std::int64_t>();
        r.processedItemCount = o.at("processedItemCount").to_number<std::int64_t>();
        r.importedItemCount = o.at("importedItemCount").to_number<std::int64_t>();
        r.errorCount = o.at("errorCount").to_number<std::int64_t>();
        r.failureCode = str("failureCode");
        r.failureMessage = str("failureMessage");
        for (const auto& e : o.at("errors").as_array())
            r.errors.emplace_back(e.as_string());
        r.requestEcho = str("requestEcho");
        return r;
    } catch (const std::exception& e) {
        return Status::internal(std::string("a stored import record is malformed: ") + e.what());
    }
}

Status importNotFound(const std::string& arn)
{
    return Status(error::kImportNotFound, "Import not found: " + arn);
}

} // namespace

EngineTime exchangeDuration(std::int64_t bytes, EngineTime minimum, std::int64_t bytesPerSecond)
{
    if (bytesPerSecond <= 0)
        return minimum;
    // Whole seconds, then the remainder in microseconds rounded up, so large sizes cannot overflow.
    const std::int64_t seconds = bytes / bytesPerSecond;
    const std::int64_t remainder = bytes % bytesPerSecond;
    const EngineTime byRate = seconds * kMicrosPerSecond + (remainder * kMicrosPerSecond + bytesPerSecond - 1) / bytesPerSecond;
    return std::max(minimum, byRate);
}

const char* importStatusName(ImportStatus status)
{
    switch (status) {
    case ImportStatus::InProgress: return "IN_PROGRESS";
    case ImportStatus::Completed: return "COMPLETED";
    case ImportStatus::Failed: return "FAILED";
    }
    return "";
}

const char* importFormatName(exchange::ImportFormat format)
{
    switch (format) {
    case exchange::ImportFormat::Csv: return "CSV";
    case exchange::ImportFormat::DynamoDbJson: return "DYNAMODB_JSON";
    case exchange::ImportFormat::Ion: return "ION";
    }
    return "";
}

const char* compressionName(exchange::Compression compression)
{
    switch (compression) {
    case exchange::Compression::None: return "NONE";
    case exchange::Compression::Gzip: return "GZIP";
    case exchange::Compression::Zstd: return "ZSTD";
    }
    return "";
}

Result<ImportRecord> Engine::importTable(const ImportTableRequest& request, EngineTime now)
{
    m_now = std::max(m_now, now);
    if (!validS3BucketName(request.s3Bucket))
        return Status::validation("1 validation error detected: Value '" + request.s3Bucket
            + "' at 's3BucketSource.s3Bucket' failed to satisfy constraint: Member must satisfy regular expression "
              "pattern: ^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
    // A retried request with its ClientToken is the same import (checked before the table, which
    // the first request made).
    if (request.clientToken) {
        auto previous = m_exchangeStore->findByClientToken(kImportKind, *request.clientToken);
        if (!previous)
            return previous.status();
        if (*previous) {
            auto record = importFromJson((*previous)->record);
            if (!record)
                return record.status();
            if (now < record->startTime + kImportClientTokenLifetime) {
                if (record->requestEcho != request.requestEcho)
                    return Status(error::kImportConflict,
                        "There was a conflict when importing from the specified S3 source. This can occur when the "
                        "current import conflicts with a previous import request that had the same client token.");
                return record;
            }
        }
    }
    const std::string& name = request.tableCreationParameters.tableName;
    const std::int64_t savedNextTableId = m_nextTableId;
    CAPSIM_RETURN_IF_ERROR(m_store->begin());
    bool created = false;
    // Undoes everything on a failure: nothing of the import is left (reference A9).
    auto fail = [&](Status s) -> Status {
        m_store->rollback();
        discardChanges();
        if (created) {
            m_tables.erase(tableKey(name));
            m_nextTableId = savedNextTableId;
        }
        return s;
    };
    // CreateTable's checks (name, existing table, key schema, capacity, indexes) answer
    // synchronously, as ImportTable's do.
    auto table = createTable(request.tableCreationParameters, now);
    if (!table)
        return fail(table.status());
    created = true;
    TableState& t = m_tables.at(tableKey(name));

    auto id = nextResourceId(now);
    if (!id)
        return fail(id.status());
    ImportRecord record;
    record.tableName = name;
    record.tableArn = tableArn(name);
    record.importArn = record.tableArn + "/import/" + *id;
    record.clientToken = request.clientToken;
    record.s3Bucket = request.s3Bucket;
    record.s3BucketOwner = request.s3BucketOwner;
    record.s3KeyPrefix = request.s3KeyPrefix;
    record.inputFormat = request.inputFormat;
    record.compression = request.compression;
    record.startTime = now;
    record.requestEcho = request.requestEcho;

    const S3Folder s3(m_s3Root);
    if (!s3.bucketExists(request.s3Bucket)) {
        // No bucket: the import fails at once and makes no table (reference A9, C 10.2).
        Status s = m_store->deleteTable(t.id);
        for (const auto& index : t.indexes)
            if (s)
                s = m_store->deleteTable(index.id);
        if (!s)
            return fail(s);
        m_tables.erase(tableKey(name));
        m_nextTableId = savedNextTableId;
        created = false;
        record.endTime = now;
        record.outcome = ImportStatus::Failed;
        record.failureCode = "S3NoSuchBucket";
        record.failureMessage = "The specified bucket does not exist: " + request.s3Bucket;
    } else {
        record.tableId = t.tableUuid();
        if (Status s = importObjects(t, request, s3, record); !s)
            return fail(s);
        record.endTime
            = now + exchangeDuration(record.processedSizeBytes, m_importMinDuration, m_importBytesPerSecond);
        if (record.errorCount == 0) {
            record.outcome = ImportStatus::Completed;
        } else {
            record.outcome = ImportStatus::Failed;
            record.failureCode = "ItemValidationError";
            record.failureMessage = kItemValidationMessage;
        }
        // CREATING until the import ends; ACTIVE then, even when it FAILED (reference C 10.2).
        if (record.endTime > now) {
            t.creatingUntil = record.endTime;
            if (Status s = saveTable(t); !s)
                return fail(s);
        }
    }
    ExchangeJobRow row;
    row.kind = kImportKind;
    row.arn = record.importArn;
    row.tableArn = record.tableArn;
    row.clientToken = record.clientToken;
    row.record = json::serialize(importToJson(record));
    if (Status s = m_exchangeStore->put(row); !s)
        return fail(s);
    if (Status s = m_store->commit(); !s)
        return fail(s);
    publishChanges();
    return record;
}

Status Engine::importObjects(TableState& t, const ImportTableRequest& request, const S3Folder& s3, ImportRecord& record)
{
    exchange::CsvImportOptions csv;
    csv.delimiter = request.csvDelimiter;
    csv.headerList = request.csvHeaderList;
    // Table and index key columns are typed by AttributeDefinitions, the rest are strings (C 10.2).
    auto keyType = [&](const KeySchema& key) {
        csv.keyTypes[key.partition.name] = key.partition.type;
        if (key.sort)
            csv.keyTypes[key.sort->name] = key.sort->type;
    };
    keyType(t.key);
    for (const auto& index : t.indexes)
        keyType(index.key);
    auto noteError = [&](std::string message) {
        ++record.errorCount;
        if (record.errors.size() < kImportErrorsKept)
            record.errors.push_back(std::move(message));
    };
    auto keys = s3.listObjects(request.s3Bucket, request.s3KeyPrefix);
    if (!keys)
        return keys.status();
    for (const auto& key : *keys) {
        auto object = s3.readObject(request.s3Bucket, key);
        if (!object)
            return object.status();
        // An object that does not decompress is one error, and none of it is read (C 10.2).
        auto text = exchange::decompress(*object, request.compression);
        if (!text) {
            record.processedSizeBytes += static_cast<std::int64_t>(object->size());
            noteError(key + ": " + text.status().message());
            continue;
        }
        record.processedSizeBytes += static_cast<std::int64_t>(text->size());
        auto reader = exchange::makeDataFileReader(request.inputFormat, *text, csv);
        exchange::DataLine line;
        while (reader->next(line)) {
            ++record.processedItemCount;
            if (!line.ok()) {
                noteError(key + ": " + line.message);
                continue;
            }
            if (line.record.kind != exchange::DataRecord::Kind::Item) {
                noteError(key + ": line " + std::to_string(line.lineNumber)
                    + ": an incremental export's change record, not an item");
                continue;
            }
            const Item& item = line.record.item;
            // The item must be one PutItem would accept: key present and typed, A1's limits,
            // index keys typed (reference A9); else it is skipped and counted.
            Status valid = validateKey(t.key, item, false);
            if (valid)
                valid = validateItemLimits(item);
            if (valid)
                valid = validateIndexKeys(t, item);
            if (!valid) {
                noteError(key + ": line " + std::to_string(line.lineNumber) + ": " + valid.message());
                continue;
            }
            // Duplicate keys: the later item replaces the earlier, with no error (reference A9).
            const StoredKey stored = storedKeyOf(t.key, item);
            StoredItem old;
            CAPSIM_RETURN_IF_ERROR(readStoredItem(*m_store, t.id, stored, needsOldImage(t), old));
            CAPSIM_RETURN_IF_ERROR(applyWrite(t, item, old.imageOrNull(), &item, old.sizeBytes, old.existed,
                itemSizeBytes(item), t.partitionIndex(stored.hash), nullptr, WriteOrigin { WriteCause::Import, {}, 1.0 }));
            ++record.importedItemCount;
        }
    }
    return Status::ok();
}

Result<ImportRecord> Engine::describeImport(const std::string& importArn)
{
    auto row = m_exchangeStore->find(kImportKind, importArn);
    if (!row)
        return row.status();
    if (!*row)
        return importNotFound(importArn);
    return importFromJson((*row)->record);
}

Result<ListImportsResult> Engine::listImports(const ListImportsRequest& request)
{
    const std::int64_t pageSize = request.pageSize.value_or(kListImportsMaxPageSize);
    if (pageSize < 1 || pageSize > kListImportsMaxPageSize)
        return Status::validation("1 validation error detected: Value '" + std::to_string(pageSize)
            + "' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 25 and "
              "greater than or equal to 1");
    // NextToken: the request number of the page's last import.
    std::int64_t after = 0;
    if (request.nextToken) {
        const std::string& token = *request.nextToken;
        if (token.empty() || token.size() > 18
            || !std::all_of(token.begin(), token.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
            return Status::validation("Invalid NextToken: " + token);
        after = std::stoll(token);
    }
    ListImportsResult result;
    Status decoded;
    std::int64_t lastSequence = 0;
    CAPSIM_RETURN_IF_ERROR(m_exchangeStore->list(kImportKind, request.tableArn, after, [&](const ExchangeJobRow& row) {
        if (static_cast<std::int64_t>(result.imports.size()) == pageSize) {
            result.nextToken = std::to_string(lastSequence);
            return false;
        }
        auto record = importFromJson(row.record);
        if (!record) {
            decoded = record.status();
            return false;
        }
        result.imports.push_back(std::move(record).value());
        lastSequence = row.sequence;
        return true;
    }));
    CAPSIM_RETURN_IF_ERROR(decoded);
    return result;
}

Status Engine::runImportWork(EngineTime now)
{
    for (auto& [name, t] : m_tables) {
        if (!t.isCreating() || now < t.creatingUntil)
            continue;
        TableState next = t;
        next.creatingUntil = 0;
        CAPSIM_RETURN_IF_ERROR(saveTable(next));
        t = std::move(next);
    }
    return Status::ok();
}

} // namespace capsim

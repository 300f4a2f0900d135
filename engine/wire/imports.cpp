// The wire handlers of ImportTable, DescribeImport and ListImports (reference A9, C 10.2).

#include "engine/wire/handlers.h"

#include "engine/wire/common.h"

namespace capsim::wire {

namespace {

// A member that must be a JSON object when present.
Status structureAt(const json::value* v, const char* field)
{
    if (v && !v->is_object())
        return Fields::typeError(*v, "Structure", field);
    return Status::ok();
}

// InputFormatOptions.Csv: Delimiter (one of , ; : | tab space) and HeaderList (1-255 names).
Status csvOptionsFrom(const json::value& options, ImportTableRequest& r)
{
    Fields o(options);
    const auto* csv = o.find("Csv");
    CAPSIM_RETURN_IF_ERROR(structureAt(csv, "InputFormatOptions.Csv"));
    if (!csv)
        return Status::ok();
    Fields c(*csv);
    const auto delimiter = c.string("Delimiter");
    CAPSIM_RETURN_IF_ERROR(c.status());
    if (delimiter) {
        if (delimiter->size() != 1 || std::string_view(",;:|\t ").find((*delimiter)[0]) == std::string_view::npos)
            return Status::validation("1 validation error detected: Value '" + *delimiter
                + "' at 'inputFormatOptions.csv.delimiter' failed to satisfy constraint: Member must satisfy regular "
                  "expression pattern: [,;:|\\t ]");
        r.csvDelimiter = (*delimiter)[0];
    }
    if (const auto* headers = c.find("HeaderList")) {
        if (!headers->is_array())
            return Fields::typeError(*headers, "List", "InputFormatOptions.Csv.HeaderList");
        const auto& list = headers->get_array();
        if (list.empty() || list.size() > 255)
            return Status::validation("1 validation error detected: Value at 'inputFormatOptions.csv.headerList' "
                                      "failed to satisfy constraint: Member must have length less than or equal to "
                                      "255 and greater than or equal to 1");
        std::vector<std::string> names;
        for (const auto& h : list) {
            if (!h.is_string())
                return Fields::typeError(h, "String", "InputFormatOptions.Csv.HeaderList");
            if (h.get_string().empty() || h.get_string().size() > 65000)
                return Status::validation("1 validation error detected: Value '" + std::string(h.get_string())
                    + "' at 'inputFormatOptions.csv.headerList' failed to satisfy constraint: Member must have length "
                      "less than or equal to 65000 and greater than or equal to 1");
            names.emplace_back(h.get_string());
        }
        r.csvHeaderList = std::move(names);
    }
    return Status::ok();
}

Status importRequestFrom(Fields& f, ImportTableRequest& r)
{
    r.clientToken = f.string("ClientToken");
    CAPSIM_RETURN_IF_ERROR(f.status());
    const auto* source = f.find("S3BucketSource");
    if (!source)
        return nullField("s3BucketSource");
    CAPSIM_RETURN_IF_ERROR(structureAt(source, "S3BucketSource"));
    Fields s(*source);
    const auto bucket = s.string("S3Bucket");
    r.s3BucketOwner = s.string("S3BucketOwner");
    r.s3KeyPrefix = s.string("S3KeyPrefix").value_or("");
    CAPSIM_RETURN_IF_ERROR(s.status());
    if (!bucket)
        return nullField("s3BucketSource.s3Bucket");
    r.s3Bucket = *bucket;
    if (r.s3KeyPrefix.size() > 1024)
        return Status::validation("1 validation error detected: Value at 's3BucketSource.s3KeyPrefix' failed to "
                                  "satisfy constraint: Member must have length less than or equal to 1024");
    if (!f.find("InputFormat"))
        return nullField("inputFormat");
    const auto format = f.enumeration<exchange::ImportFormat>("InputFormat",
        { { "DYNAMODB_JSON", exchange::ImportFormat::DynamoDbJson }, { "ION", exchange::ImportFormat::Ion },
            { "CSV", exchange::ImportFormat::Csv } });
    const auto compression = f.enumeration<exchange::Compression>("InputCompressionType",
        { { "GZIP", exchange::Compression::Gzip }, { "ZSTD", exchange::Compression::Zstd },
            { "NONE", exchange::Compression::None } });
    CAPSIM_RETURN_IF_ERROR(f.status());
    r.inputFormat = *format;
    r.compression = compression.value_or(exchange::Compression::None);
    const auto* options = f.find("InputFormatOptions");
    CAPSIM_RETURN_IF_ERROR(structureAt(options, "InputFormatOptions"));
    if (options)
        CAPSIM_RETURN_IF_ERROR(csvOptionsFrom(*options, r));
    const auto* parameters = f.find("TableCreationParameters");
    if (!parameters)
        return nullField("tableCreationParameters");
    CAPSIM_RETURN_IF_ERROR(structureAt(parameters, "TableCreationParameters"));
    Fields p(*parameters);
    CAPSIM_RETURN_IF_ERROR(createTableRequestFrom(p, r.tableCreationParameters, false));
    // What DescribeImport echoes, and what a reused ClientToken must match.
    json::object echo;
    for (const char* name :
        { "S3BucketSource", "InputFormat", "InputFormatOptions", "InputCompressionType", "TableCreationParameters" })
        if (const auto* v = f.find(name))
            echo[name] = *v;
    r.requestEcho = json::serialize(echo);
    return Status::ok();
}

std::string logGroupArn(const Engine& engine)
{
    return "arn:aws:logs:" + engine.region() + ":000000000000:log-group:/aws-dynamodb/imports:*";
}

// ImportTableDescription at `now`; `answeringRequest`: ImportTable's own answer, IN_PROGRESS.
json::object importDescription(const Engine& engine, const ImportRecord& r, EngineTime now, bool answeringRequest)
{
    json::object echo;
    boost::system::error_code ec;
    if (auto parsed = json::parse(r.requestEcho, ec); !ec && parsed.is_object())
        echo = parsed.get_object();
    const ImportStatus status = answeringRequest ? ImportStatus::InProgress : r.statusAt(now);
    json::object d;
    d["ImportArn"] = r.importArn;
    d["ImportStatus"] = importStatusName(status);
    d["TableArn"] = r.tableArn;
    if (!r.tableId.empty())
        d["TableId"] = r.tableId;
    if (r.clientToken)
        d["ClientToken"] = *r.clientToken;
    if (const auto* v = echo.if_contains("S3BucketSource"))
        d["S3BucketSource"] = *v;
    d["ErrorCount"] = r.errorCount;
    d["CloudWatchLogGroupArn"] = logGroupArn(engine);
    d["InputFormat"] = importFormatName(r.inputFormat);
    if (const auto* v = echo.if_contains("InputFormatOptions"))
        d["InputFormatOptions"] = *v;
    d["InputCompressionType"] = compressionName(r.compression);
    if (const auto* v = echo.if_contains("TableCreationParameters"))
        d["TableCreationParameters"] = *v;
    d["StartTime"] = epochSeconds(r.startTime);
    if (status != ImportStatus::InProgress)
        d["EndTime"] = epochSeconds(r.endTime);
    d["ProcessedSizeBytes"] = r.processedSizeBytes;
    d["ProcessedItemCount"] = r.processedItemCount;
    d["ImportedItemCount"] = r.importedItemCount;
    if (status == ImportStatus::Failed) {
        d["FailureCode"] = r.failureCode;
        d["FailureMessage"] = r.failureMessage;
    }
    // What DynamoDB logs to CloudWatch: the first errors, each with its object and line.
    if (!r.errors.empty()) {
        json::array errors;
        for (const auto& e : r.errors)
            errors.emplace_back(e);
        d["capsim"] = json::object { { "errors", std::move(errors) } };
    }
    return d;
}

} // namespace

WireResponse importTable(Engine& engine, Fields& f, EngineTime now)
{
    ImportTableRequest r;
    if (Status s = importRequestFrom(f, r); !s)
        return errorResponse(s);
    auto record = engine.importTable(r, now);
    if (!record)
        return errorResponse(record.status());
    return ok(json::object {
        { "ImportTableDescription", importDescription(engine, *record, now, record->startTime == now) } });
}

WireResponse describeImport(Engine& engine, Fields& f, EngineTime now)
{
    const std::string arn = f.requiredString("ImportArn");
    if (!f.ok())
        return errorResponse(f.status());
    auto record = engine.describeImport(arn);
    if (!record)
        return errorResponse(record.status());
    return ok(json::object { { "ImportTableDescription", importDescription(engine, *record, now, false) } });
}

WireResponse listImports(Engine& engine, Fields& f, EngineTime now)
{
    ListImportsRequest r;
    r.tableArn = f.string("TableArn");
    r.pageSize = f.integer("PageSize");
    r.nextToken = f.string("NextToken");
    if (!f.ok())
        return errorResponse(f.status());
    auto result = engine.listImports(r);
    if (!result)
        return errorResponse(result.status());
    json::array summaries;
    for (const auto& record : result->imports) {
        const json::object d = importDescription(engine, record, now, false);
        json::object summary;
        for (const char* kept : { "ImportArn", "ImportStatus", "TableArn", "S3BucketSource", "CloudWatchLogGroupArn",
                 "InputFormat", "StartTime", "EndTime" })
            if (const auto* v = d.if_contains(kept))
                summary[kept] = *v;
        summaries.push_back(std::move(summary));
    }
    json::object out { { "ImportSummaryList", std::move(summaries) } };
    if (result->nextToken)
        out["NextToken"] = *result->nextToken;
    return ok(std::move(out));
}

} // namespace capsim::wire

// The wire handlers of ExportTableToPointInTime, DescribeExport and ListExports (reference A9,
// C 10.1), with the ExportDescription and ExportSummary shapes of the DynamoDB API.

#include "engine/wire/handlers.h"

#include "engine/wire/common.h"

#include <cmath>

namespace capsim::wire {

namespace {

Status exportRequestFrom(Fields& f, ExportTableRequest& r)
{
    const auto tableArn = f.string("TableArn");
    r.clientToken = f.string("ClientToken");
    r.exportTime = timestampField(f, "ExportTime");
    const auto bucket = f.string("S3Bucket");
    r.s3BucketOwner = f.string("S3BucketOwner");
    r.s3Prefix = f.string("S3Prefix").value_or("");
    r.s3SseAlgorithm = f.string("S3SseAlgorithm");
    r.s3SseKmsKeyId = f.string("S3SseKmsKeyId");
    const auto format = f.enumeration<exchange::ExportFormat>(
        "ExportFormat", { { "DYNAMODB_JSON", exchange::ExportFormat::DynamoDbJson }, { "ION", exchange::ExportFormat::Ion } });
    const auto type = f.enumeration<ExportType>(
        "ExportType", { { "FULL_EXPORT", ExportType::Full }, { "INCREMENTAL_EXPORT", ExportType::Incremental } });
    CAPSIM_RETURN_IF_ERROR(f.status());
    if (!tableArn)
        return nullField("tableArn");
    if (!bucket)
        return nullField("s3Bucket");
    r.tableArn = *tableArn;
    r.s3Bucket = *bucket;
    if (r.s3Prefix.size() > 1024)
        return Status::validation("1 validation error detected: Value at 's3Prefix' failed to satisfy constraint: "
                                  "Member must have length less than or equal to 1024");
    if (r.s3SseAlgorithm && *r.s3SseAlgorithm != "AES256" && *r.s3SseAlgorithm != "KMS")
        return Status::validation("1 validation error detected: Value '" + *r.s3SseAlgorithm
            + "' at 's3SseAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [KMS, AES256]");
    r.exportFormat = format.value_or(exchange::ExportFormat::DynamoDbJson);
    r.exportType = type.value_or(ExportType::Full);
    if (const auto* spec = f.find("IncrementalExportSpecification")) {
        if (!spec->is_object())
            return Fields::typeError(*spec, "Structure", "IncrementalExportSpecification");
        Fields s(*spec);
        r.exportFromTime = timestampField(s, "ExportFromTime");
        r.exportToTime = timestampField(s, "ExportToTime");
        const auto view = s.enumeration<ExportViewType>("ExportViewType",
            { { "NEW_AND_OLD_IMAGES", ExportViewType::NewAndOldImages }, { "NEW_IMAGE", ExportViewType::NewImage } });
        CAPSIM_RETURN_IF_ERROR(s.status());
        r.exportViewType = view.value_or(ExportViewType::NewAndOldImages);
    }
    // What a reused ClientToken must match: every parameter but the token itself.
    json::object echo;
    for (const char* name : { "TableArn", "ExportTime", "S3Bucket", "S3BucketOwner", "S3Prefix", "S3SseAlgorithm",
             "S3SseKmsKeyId", "ExportFormat", "ExportType", "IncrementalExportSpecification" })
        if (const auto* v = f.find(name))
            echo[name] = *v;
    r.requestEcho = json::serialize(echo);
    return Status::ok();
}

// ExportDescription at `now`.
json::object exportDescription(const ExportRecord& r, EngineTime now)
{
    const ExportStatus status = r.statusAt(now);
    json::object d;
    d["ExportArn"] = r.exportArn;
    d["ExportStatus"] = exportStatusName(status);
    d["StartTime"] = epochSeconds(r.startTime);
    if (status != ExportStatus::InProgress)
        d["EndTime"] = epochSeconds(r.endTime);
    if (status == ExportStatus::Completed)
        d["ExportManifest"] = r.exportManifest;
    d["TableArn"] = r.tableArn;
    d["TableId"] = r.tableId;
    d["ExportTime"] = epochSeconds(r.exportTime);
    if (r.clientToken)
        d["ClientToken"] = *r.clientToken;
    d["S3Bucket"] = r.s3Bucket;
    if (r.s3BucketOwner)
        d["S3BucketOwner"] = *r.s3BucketOwner;
    if (!r.s3Prefix.empty())
        d["S3Prefix"] = r.s3Prefix;
    if (r.s3SseAlgorithm)
        d["S3SseAlgorithm"] = *r.s3SseAlgorithm;
    if (r.s3SseKmsKeyId)
        d["S3SseKmsKeyId"] = *r.s3SseKmsKeyId;
    if (status == ExportStatus::Failed) {
        d["FailureCode"] = r.failureCode;
        d["FailureMessage"] = r.failureMessage;
    }
    d["ExportFormat"] = exchange::exportFormatName(r.exportFormat);
    d["BilledSizeBytes"] = r.billedSizeBytes;
    if (status == ExportStatus::Completed)
        d["ItemCount"] = r.itemCount;
    d["ExportType"] = exportTypeName(r.exportType);
    if (r.exportType == ExportType::Incremental)
        d["IncrementalExportSpecification"] = json::object { { "ExportFromTime", epochSeconds(r.exportFromTime) },
            { "ExportToTime", epochSeconds(r.exportToTime) }, { "ExportViewType", exportViewTypeName(r.exportViewType) } };
    return d;
}

} // namespace

WireResponse exportTableToPointInTime(Engine& engine, Fields& f, EngineTime now)
{
    ExportTableRequest r;
    if (Status s = exportRequestFrom(f, r); !s)
        return errorResponse(s);
    auto record = engine.exportTableToPointInTime(r, now);
    if (!record)
        return errorResponse(record.status());
    return ok(json::object { { "ExportDescription", exportDescription(*record, now) } });
}

WireResponse describeExport(Engine& engine, Fields& f, EngineTime now)
{
    const std::string arn = f.requiredString("ExportArn");
    if (!f.ok())
        return errorResponse(f.status());
    auto record = engine.describeExport(arn);
    if (!record)
        return errorResponse(record.status());
    return ok(json::object { { "ExportDescription", exportDescription(*record, now) } });
}

WireResponse listExports(Engine& engine, Fields& f, EngineTime now)
{
    ListExportsRequest r;
    r.tableArn = f.string("TableArn");
    r.maxResults = f.integer("MaxResults");
    r.nextToken = f.string("NextToken");
    if (!f.ok())
        return errorResponse(f.status());
    auto result = engine.listExports(r);
    if (!result)
        return errorResponse(result.status());
    json::array summaries;
    for (const auto& record : result->exports)
        summaries.push_back(json::object { { "ExportArn", record.exportArn },
            { "ExportStatus", exportStatusName(record.statusAt(now)) }, { "ExportType", exportTypeName(record.exportType) } });
    json::object out { { "ExportSummaries", std::move(summaries) } };
    if (result->nextToken)
        out["NextToken"] = *result->nextToken;
    return ok(std::move(out));
}

} // namespace capsim::wire

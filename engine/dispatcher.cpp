#include "engine/dispatcher.h"

#include "engine/wire/access_pairs.h"
#include "engine/wire/common.h"
#include "engine/wire/fields.h"
#include "engine/wire/handlers.h"

#include <algorithm>
#include <array>

namespace capsim {

namespace {

// One DynamoDB operation: its name (X-Amz-Target suffix), the IAM action it is authorized as,
// and its handler.
struct Operation {
    std::string_view name;
    const char* action;
    wire::Handler handler;
};

constexpr std::array kOperations {
    Operation { "CreateTable", "dynamodb:CreateTable", wire::createTable },
    Operation { "DescribeTable", "dynamodb:DescribeTable", wire::describeTable },
    Operation { "DeleteTable", "dynamodb:DeleteTable", wire::deleteTable },
    Operation { "ListTables", "dynamodb:ListTables", wire::listTables },
    Operation { "UpdateTable", "dynamodb:UpdateTable", wire::updateTable },
    Operation { "GetItem", "dynamodb:GetItem", wire::getItem },
    Operation { "PutItem", "dynamodb:PutItem", wire::putItem },
    Operation { "UpdateItem", "dynamodb:UpdateItem", wire::updateItem },
    Operation { "DeleteItem", "dynamodb:DeleteItem", wire::deleteItem },
    Operation { "Query", "dynamodb:Query", wire::query },
    Operation { "Scan", "dynamodb:Scan", wire::scan },
    Operation { "BatchGetItem", "dynamodb:BatchGetItem", wire::batchGetItem },
    Operation { "BatchWriteItem", "dynamodb:BatchWriteItem", wire::batchWriteItem },
    Operation { "TransactWriteItems", "dynamodb:TransactWriteItems", wire::transactWriteItems },
    Operation { "TransactGetItems", "dynamodb:TransactGetItems", wire::transactGetItems },
    Operation { "UpdateTimeToLive", "dynamodb:UpdateTimeToLive", wire::updateTimeToLive },
    Operation { "DescribeTimeToLive", "dynamodb:DescribeTimeToLive", wire::describeTimeToLive },
    Operation { "UpdateContinuousBackups", "dynamodb:UpdateContinuousBackups", wire::updateContinuousBackups },
    Operation { "DescribeContinuousBackups", "dynamodb:DescribeContinuousBackups", wire::describeContinuousBackups },
    Operation { "RestoreTableToPointInTime", "dynamodb:RestoreTableToPointInTime", wire::restoreTableToPointInTime },
    Operation { "CreateBackup", "dynamodb:CreateBackup", wire::createBackup },
    Operation { "DescribeBackup", "dynamodb:DescribeBackup", wire::describeBackup },
    Operation { "ListBackups", "dynamodb:ListBackups", wire::listBackups },
    Operation { "DeleteBackup", "dynamodb:DeleteBackup", wire::deleteBackup },
    Operation { "RestoreTableFromBackup", "dynamodb:RestoreTableFromBackup", wire::restoreTableFromBackup },
    Operation { "ListStreams", "dynamodb:ListStreams", wire::listStreams },
    Operation { "DescribeStream", "dynamodb:DescribeStream", wire::describeStream },
    Operation { "GetShardIterator", "dynamodb:GetShardIterator", wire::getShardIterator },
    Operation { "GetRecords", "dynamodb:GetRecords", wire::getRecords },
    Operation { "ImportTable", "dynamodb:ImportTable", wire::importTable },
    Operation { "DescribeImport", "dynamodb:DescribeImport", wire::describeImport },
    Operation { "ListImports", "dynamodb:ListImports", wire::listImports },
    Operation { "ExportTableToPointInTime", "dynamodb:ExportTableToPointInTime", wire::exportTableToPointInTime },
    Operation { "DescribeExport", "dynamodb:DescribeExport", wire::describeExport },
    Operation { "ListExports", "dynamodb:ListExports", wire::listExports },
    Operation { "EnableKinesisStreamingDestination", "dynamodb:EnableKinesisStreamingDestination",
        wire::enableKinesisStreamingDestination },
    Operation { "DisableKinesisStreamingDestination", "dynamodb:DisableKinesisStreamingDestination",
        wire::disableKinesisStreamingDestination },
    Operation { "UpdateKinesisStreamingDestination", "dynamodb:UpdateKinesisStreamingDestination",
        wire::updateKinesisStreamingDestination },
    Operation { "DescribeKinesisStreamingDestination", "dynamodb:DescribeKinesisStreamingDestination",
        wire::describeKinesisStreamingDestination },
    Operation { "TagResource", "dynamodb:TagResource", wire::tagResource },
    Operation { "UntagResource", "dynamodb:UntagResource", wire::untagResource },
    Operation { "ListTagsOfResource", "dynamodb:ListTagsOfResource", wire::listTagsOfResource },
    Operation { "DescribeLimits", "dynamodb:DescribeLimits", wire::describeLimits },
    Operation { "DescribeEndpoints", "dynamodb:DescribeEndpoints", wire::describeEndpoints },
};

} // namespace

std::string AccessResource::arn(const std::string& region) const
{
    std::string out = "arn:aws:dynamodb:" + region + ":000000000000:table/" + tableName;
    if (!indexName.empty())
        out += "/index/" + indexName;
    return out;
}

WireResponse Dispatcher::errorResponse(const Status& status)
{
    return wire::errorResponse(status);
}

std::vector<std::string> Dispatcher::operationNames()
{
    std::vector<std::string> names;
    for (const auto& operation : kOperations)
        names.emplace_back(operation.name);
    return names;
}

WireResponse Dispatcher::dispatch(std::string_view operation, const boost::json::value& request, EngineTime now)
{
    wire::Fields fields(request);
    if (!fields.ok())
        return errorResponse(fields.status());
    const auto* found = std::find_if(
        kOperations.begin(), kOperations.end(), [&](const Operation& o) { return o.name == operation; });
    if (found == kOperations.end())
        return errorResponse(Status(error::kUnknownOperation,
            "capsim does not implement the operation " + std::string(operation)));
    if (m_authorizer) {
        if (Status s = m_authorizer({ found->action, wire::accessResources(request),
                wire::accessPairs(m_engine, found->name, found->action, request) });
            !s)
            return wire::accessDeniedResponse(s);
    }
    // The engine's background work (TTL deletions, status changes...) comes up to `now` first.
    if (Status s = m_engine.advanceTime(now); !s)
        return errorResponse(s);
    return found->handler(m_engine, fields, now);
}

} // namespace capsim

// The wire handlers of point-in-time recovery and on-demand backups (reference A8, Part C 9):
// UpdateContinuousBackups, DescribeContinuousBackups, RestoreTableToPointInTime, CreateBackup,
// DescribeBackup, ListBackups, DeleteBackup and RestoreTableFromBackup.

#include "engine/wire/handlers.h"

#include "engine/wire/common.h"

#include <cmath>

namespace capsim::wire {

namespace {

json::object continuousBackupsJson(const ContinuousBackupsDescription& d)
{
    json::object pitr { { "PointInTimeRecoveryStatus", d.enabled ? "ENABLED" : "DISABLED" } };
    if (d.enabled) {
        pitr["EarliestRestorableDateTime"] = epochSeconds(d.earliestRestorable);
        pitr["LatestRestorableDateTime"] = epochSeconds(d.latestRestorable);
        pitr["RecoveryPeriodInDays"] = d.recoveryPeriodDays;
    }
    // ContinuousBackupsStatus is ENABLED on every table, PITR or not (reference C 9).
    return json::object { { "ContinuousBackupsDescription",
        json::object { { "ContinuousBackupsStatus", "ENABLED" }, { "PointInTimeRecoveryDescription", std::move(pitr) } } } };
}

// An index override entry: IndexName, KeySchema (names only; types come from the source),
// Projection and, for GSIs, ProvisionedThroughput.
Status indexOverrideFrom(const json::value& v, const std::string& field, IndexDefinition& out)
{
    if (!v.is_object())
        return Fields::typeError(v, "Structure", field);
    Fields f(v);
    out.name = f.requiredString("IndexName");
    if (!f.ok())
        return f.status();
    const auto* keySchema = f.find("KeySchema");
    if (!keySchema)
        return nullField(field + ".keySchema");
    if (!keySchema->is_array() || keySchema->get_array().empty() || keySchema->get_array().size() > 2)
        return Status::validation("1 validation error detected: Value at '" + field
            + ".keySchema' failed to satisfy constraint: Member must have length less than or equal to 2 and greater "
              "than or equal to 1");
    const auto& elements = keySchema->get_array();
    for (std::size_t i = 0; i < elements.size(); ++i) {
        Fields e(elements[i]);
        const std::string name = e.requiredString("AttributeName");
        const std::string kind = e.requiredString("KeyType");
        if (!e.ok())
            return e.status();
        if ((i == 0) != (kind == "HASH"))
            return Status::validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        if (i == 0)
            out.key.partition.name = name;
        else
            out.key.sort = KeyElement { name, AttrType::S };
    }
    const auto* projection = f.find("Projection");
    if (!projection)
        return nullField(field + ".projection");
    CAPSIM_RETURN_IF_ERROR(projectionFrom(*projection, field, out));
    readThroughput(f, out.readCapacity, out.writeCapacity);
    return f.status();
}

// The overrides RestoreTableToPointInTime and RestoreTableFromBackup share.
Status restoreOverridesFrom(Fields& f, RestoreOverrides& out)
{
    out.billingMode = f.enumeration<BillingMode>("BillingModeOverride",
        { { "PROVISIONED", BillingMode::Provisioned }, { "PAY_PER_REQUEST", BillingMode::PayPerRequest } });
    if (const auto* throughput = f.find("ProvisionedThroughputOverride")) {
        if (!throughput->is_object())
            return Fields::typeError(*throughput, "Structure", "ProvisionedThroughputOverride");
        Fields t(*throughput);
        out.readCapacity = t.integer("ReadCapacityUnits");
        out.writeCapacity = t.integer("WriteCapacityUnits");
        if (!t.ok())
            return t.status();
    }
    for (const bool global : { true, false }) {
        const char* name = global ? "GlobalSecondaryIndexOverride" : "LocalSecondaryIndexOverride";
        const auto* list = f.find(name);
        if (!list)
            continue;
        if (!list->is_array())
            return Fields::typeError(*list, "List", name);
        std::vector<IndexDefinition> indexes;
        for (const auto& v : list->get_array()) {
            IndexDefinition d;
            CAPSIM_RETURN_IF_ERROR(
                indexOverrideFrom(v, lowerFirst(name) + "." + std::to_string(indexes.size() + 1) + ".member", d));
            indexes.push_back(std::move(d));
        }
        (global ? out.globalSecondaryIndexes : out.localSecondaryIndexes) = std::move(indexes);
    }
    return f.status();
}

json::object backupDetailsJson(const BackupRecord& b, BackupStatus status)
{
    json::object d { { "BackupArn", b.arn }, { "BackupName", b.name }, { "BackupSizeBytes", b.sizeBytes },
        { "BackupStatus", backupStatusName(status) }, { "BackupType", backupTypeName(b.type) },
        { "BackupCreationDateTime", epochSeconds(b.createdAt) } };
    if (b.expiresAt)
        d["BackupExpiryDateTime"] = epochSeconds(*b.expiresAt);
    return d;
}

json::object backupDescriptionJson(Engine& engine, const BackupRecord& b, BackupStatus status)
{
    json::object out { { "BackupDetails", backupDetailsJson(b, status) } };
    boost::system::error_code ec;
    auto parsed = json::parse(b.tableDescription, ec);
    auto source = ec ? Result<TableState>(Status::internal("corrupt")) : TableState::fromJson(parsed);
    if (!source)
        return out;
    const json::object table = Dispatcher::tableDescription(engine, *source);
    json::object details { { "TableName", b.tableName }, { "TableId", b.tableId }, { "TableArn", b.tableArn } };
    if (const auto* size = parsed.as_object().if_contains("tableSizeBytes"))
        details["TableSizeBytes"] = *size;
    details["KeySchema"] = table.at("KeySchema");
    details["TableCreationDateTime"] = table.at("CreationDateTime");
    details["ProvisionedThroughput"] = json::object { { "ReadCapacityUnits", source->readCapacity },
        { "WriteCapacityUnits", source->writeCapacity } };
    details["ItemCount"] = b.itemCount;
    details["BillingMode"] = billingModeName(source->billingMode);
    out["SourceTableDetails"] = std::move(details);
    json::object features;
    for (const char* key : { "LocalSecondaryIndexes", "GlobalSecondaryIndexes" }) {
        const auto* list = table.if_contains(key);
        if (!list)
            continue;
        json::array indexes;
        for (const auto& i : list->as_array()) {
            json::object index;
            for (const char* kept : { "IndexName", "KeySchema", "Projection", "ProvisionedThroughput" })
                if (const auto* v = i.as_object().if_contains(kept))
                    index[kept] = *v;
            if (auto* throughput = index.if_contains("ProvisionedThroughput"))
                throughput->as_object().erase("NumberOfDecreasesToday");
            indexes.push_back(std::move(index));
        }
        features[key] = std::move(indexes);
    }
    out["SourceTableFeatureDetails"] = std::move(features);
    return out;
}

WireResponse restoredTable(Engine& engine, const Result<TableState>& table)
{
    if (!table)
        return errorResponse(table.status());
    return ok(json::object { { "TableDescription", Dispatcher::tableDescription(engine, *table, "CREATING") } });
}

} // namespace

json::object restoreSummaryJson(const RestoreSummary& summary)
{
    json::object o;
    if (!summary.sourceBackupArn.empty())
        o["SourceBackupArn"] = summary.sourceBackupArn;
    if (!summary.sourceTableArn.empty())
        o["SourceTableArn"] = summary.sourceTableArn;
    o["RestoreDateTime"] = epochSeconds(summary.restoreDateTime);
    o["RestoreInProgress"] = true;
    return o;
}

WireResponse updateContinuousBackups(Engine& engine, Fields& f, EngineTime now)
{
    const std::string name = requiredTableName(f);
    if (!f.ok())
        return errorResponse(f.status());
    const auto* spec = f.find("PointInTimeRecoverySpecification");
    if (!spec)
        return errorResponse(nullField("pointInTimeRecoverySpecification"));
    if (!spec->is_object())
        return errorResponse(Fields::typeError(*spec, "Structure", "PointInTimeRecoverySpecification"));
    Fields p(*spec);
    const auto enabled = p.boolean("PointInTimeRecoveryEnabled");
    const auto period = p.integer("RecoveryPeriodInDays");
    if (!p.ok())
        return errorResponse(p.status());
    if (!enabled)
        return errorResponse(nullField("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled"));
    std::optional<int> days;
    if (period)
        days = static_cast<int>(std::clamp<std::int64_t>(*period, -1, 1000));
    auto result = engine.updateContinuousBackups(name, *enabled, days, now);
    if (!result)
        return errorResponse(result.status());
    return ok(continuousBackupsJson(*result));
}

WireResponse describeContinuousBackups(Engine& engine, Fields& f, EngineTime)
{
    const std::string name = requiredTableName(f);
    if (!f.ok())
        return errorResponse(f.status());
    auto result = engine.describeContinuousBackups(name);
    if (!result)
        return errorResponse(result.status());
    return ok(continuousBackupsJson(*result));
}

WireResponse restoreTableToPointInTime(Engine& engine, Fields& f, EngineTime now)
{
    PointInTimeRestoreRequest r;
    r.sourceTableName = f.string("SourceTableName");
    r.sourceTableArn = f.string("SourceTableArn");
    r.targetTableName = f.requiredString("TargetTableName");
    r.restoreDateTime = timestampField(f, "RestoreDateTime");
    r.useLatestRestorableTime = f.boolean("UseLatestRestorableTime").value_or(false);
    if (!f.ok())
        return errorResponse(f.status());
    if (Status s = restoreOverridesFrom(f, r.overrides); !s)
        return errorResponse(s);
    return restoredTable(engine, engine.restoreTableToPointInTime(r, now));
}

WireResponse createBackup(Engine& engine, Fields& f, EngineTime now)
{
    const std::string name = requiredTableName(f);
    const std::string backupName = f.requiredString("BackupName");
    if (!f.ok())
        return errorResponse(f.status());
    auto backup = engine.createBackup(name, backupName, now);
    if (!backup)
        return errorResponse(backup.status());
    // The answer shows the backup CREATING; it is AVAILABLE model.backupDelay later (reference C 9).
    return ok(json::object { { "BackupDetails", backupDetailsJson(*backup, BackupStatus::Creating) } });
}

WireResponse describeBackup(Engine& engine, Fields& f, EngineTime now)
{
    const std::string arn = f.requiredString("BackupArn");
    if (!f.ok())
        return errorResponse(f.status());
    auto backup = engine.describeBackup(arn);
    if (!backup)
        return errorResponse(backup.status());
    return ok(json::object { { "BackupDescription", backupDescriptionJson(engine, *backup, backup->statusAt(now)) } });
}

WireResponse listBackups(Engine& engine, Fields& f, EngineTime now)
{
    ListBackupsRequest r;
    r.tableName = f.string("TableName");
    r.limit = f.integer("Limit");
    r.timeRangeLower = timestampField(f, "TimeRangeLowerBound");
    r.timeRangeUpper = timestampField(f, "TimeRangeUpperBound");
    r.exclusiveStartBackupArn = f.string("ExclusiveStartBackupArn");
    r.backupType = f.string("BackupType");
    if (!f.ok())
        return errorResponse(f.status());
    auto result = engine.listBackups(r);
    if (!result)
        return errorResponse(result.status());
    json::array summaries;
    for (const auto& b : result->backups) {
        json::object s { { "TableName", b.tableName }, { "TableId", b.tableId }, { "TableArn", b.tableArn } };
        for (auto& [key, value] : backupDetailsJson(b, b.statusAt(now)))
            s[key] = value;
        summaries.push_back(std::move(s));
    }
    json::object out { { "BackupSummaries", std::move(summaries) } };
    if (result->lastEvaluatedBackupArn)
        out["LastEvaluatedBackupArn"] = *result->lastEvaluatedBackupArn;
    return ok(std::move(out));
}

WireResponse deleteBackup(Engine& engine, Fields& f, EngineTime)
{
    const std::string arn = f.requiredString("BackupArn");
    if (!f.ok())
        return errorResponse(f.status());
    auto backup = engine.deleteBackup(arn);
    if (!backup)
        return errorResponse(backup.status());
    return ok(json::object { { "BackupDescription", backupDescriptionJson(engine, *backup, BackupStatus::Deleted) } });
}

WireResponse restoreTableFromBackup(Engine& engine, Fields& f, EngineTime now)
{
    const std::string target = f.requiredString("TargetTableName");
    const std::string arn = f.requiredString("BackupArn");
    if (!f.ok())
        return errorResponse(f.status());
    RestoreOverrides overrides;
    if (Status s = restoreOverridesFrom(f, overrides); !s)
        return errorResponse(s);
    return restoredTable(engine, engine.restoreTableFromBackup(target, arn, overrides, now));
}

} // namespace capsim::wire

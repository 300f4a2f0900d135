// The data lifecycle in a run: TTL, point-in-time recovery, backups, restores, exports and
// imports (reference A6, A8, A9; scenario-format.md, events). Part of Simulator::Impl.
#include "simulator/simulator_impl.h"

#include "engine/s3_folder.h"
#include "simulator/pricing.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <random>
#include <set>

namespace capsim {

namespace {

ChangeRefused::Request requestOf(EventSpec::Action action)
{
    switch (action) {
    case EventSpec::Action::UpdateTimeToLive: return ChangeRefused::Request::UpdateTimeToLive;
    case EventSpec::Action::CreateBackup: return ChangeRefused::Request::CreateBackup;
    case EventSpec::Action::RestoreTable: return ChangeRefused::Request::RestoreTable;
    case EventSpec::Action::ExportTable: return ChangeRefused::Request::ExportTable;
    default: return ChangeRefused::Request::ImportTable;
    }
}

} // namespace

CreateTableRequest createRequestOf(const TableSpec& spec)
{
    CreateTableRequest create;
    create.tableName = spec.name;
    create.keySchema.partition = spec.partitionKey;
    create.keySchema.sort = spec.sortKey;
    create.billingMode = spec.billingMode;
    create.tableClass = spec.tableClass;
    if (spec.billingMode == BillingMode::Provisioned) {
        create.readCapacity = spec.provisionedRead;
        create.writeCapacity = spec.provisionedWrite;
    }
    for (const auto& index : spec.globalSecondaryIndexes)
        create.globalSecondaryIndexes.push_back(indexDefinition(spec, index, spec.billingMode));
    for (const auto& index : spec.localSecondaryIndexes)
        create.localSecondaryIndexes.push_back(indexDefinition(spec, index, spec.billingMode));
    return create;
}

bool isDataLifecycleEvent(EventSpec::Action action)
{
    return action == EventSpec::Action::UpdateTimeToLive || action == EventSpec::Action::CreateBackup
        || action == EventSpec::Action::RestoreTable || action == EventSpec::Action::ExportTable
        || action == EventSpec::Action::ImportTable;
}

TtlDelayModel ttlDelayModel(const ModelSpec& model)
{
    TtlDelayModel delay;
    delay.medianSeconds = static_cast<double>(model.ttlDelayMedian) / static_cast<double>(kSimSecond);
    delay.sigma = model.ttlDelaySigma;
    return delay;
}

bool usesTimeToLive(const Scenario& scenario, const TableSpec& table)
{
    if (table.ttl)
        return true;
    return std::any_of(scenario.events.begin(), scenario.events.end(), [&](const EventSpec& e) {
        return e.action == EventSpec::Action::UpdateTimeToLive && e.table == table.name;
    });
}

Status Simulator::Impl::setUpTimeToLive(TableRuntime& t)
{
    if (usesTimeToLive(scenario, *t.spec))
        t.result.ttl = TtlSummary {};
    // tables[].ttl: ENABLED at t = 0, no cooldown pending (reference A6).
    if (t.spec->ttl)
        return engine->enableTimeToLive(t.spec->name, t.spec->ttl->attribute);
    return Status::ok();
}

void Simulator::Impl::ttlMinute(TableRuntime& t, MinuteRow& row)
{
    if (!t.result.ttl)
        return;
    auto counters = engine->ttlCounters(t.spec->name);
    if (!counters)
        return;
    // Deletions of the sampled items stand for 1/r as many (reference A13).
    row.ttlDeletions = std::llround(static_cast<double>(counters->deleted - t.ttlDeletedBefore) * weight);
    t.ttlDeletedBefore = counters->deleted;
}

void Simulator::Impl::finishTimeToLive(TableRuntime& t)
{
    if (!t.result.ttl)
        return;
    auto counters = engine->ttlCounters(t.spec->name);
    if (!counters)
        return;
    t.result.ttl->expired = std::llround(static_cast<double>(counters->expired) * weight);
    t.result.ttl->deleted = std::llround(static_cast<double>(counters->deleted) * weight);
    t.result.ttl->meanDelaySeconds = counters->meanDelaySeconds;
}

DataFeatureUse dataFeatureUse(const Scenario& scenario, const TableSpec& table)
{
    DataFeatureUse uses;
    uses.streams = table.streams.has_value();
    uses.pitr = table.pitr.has_value();
    std::set<std::string> backups; // of this table
    for (const auto& e : scenario.events)
        if (e.action == EventSpec::Action::CreateBackup && e.table == table.name) {
            uses.backups = true;
            backups.insert(e.backupName);
        }
    for (const auto& e : scenario.events) {
        if (e.action == EventSpec::Action::RestoreTable && (e.table == table.name || (e.table.empty() && backups.contains(e.backupName))))
            uses.restore = true;
        if (e.action == EventSpec::Action::ExportTable && e.table == table.name)
            uses.dataExport = true;
    }
    return uses;
}

std::int64_t Simulator::Impl::pitrBillableBytesOf(const TableRuntime& t) const
{
    // PITR and backups bill the table and its LSIs (reference A8).
    const TableState* state = engine->table(t.spec->name);
    std::int64_t bytes = state->billableBytes();
    for (const auto& lsi : t.spec->localSecondaryIndexes)
        if (const IndexState* index = state->findIndex(lsi.name))
            bytes += index->billableBytes();
    return bytes;
}

void Simulator::Impl::accrueDataCost(TableRuntime& t, double seconds)
{
    if (t.isIndex())
        return;
    // PITR accrues per second while ENABLED (from t = 0 with tables[].pitr), on the bytes stored,
    // weighted like storage in sampled fidelity (reference A5, A8, A13).
    if (t.spec->pitr)
        t.result.cost.pitr += pitrCost(options.pricing, static_cast<double>(pitrBillableBytesOf(t)) * weightOf(t), seconds);
    // A USER backup bills its BackupSizeBytes per GB-month while it exists (reference A5, A8);
    // the run deletes none, so each accrues from its request to the end.
    if (t.backupBytes > 0)
        t.result.cost.backups += backupStorageCost(options.pricing, t.backupBytes, seconds);
}

namespace {

// The bucket (a folder of the run's private S3 root) the run's exports go to.
constexpr const char* kExportBucket = "capsim-run-exports";

std::int64_t weighted(std::int64_t value, double weight)
{
    return static_cast<std::int64_t>(std::llround(static_cast<double>(value) * weight));
}

// The table of the latest createBackup named `backup` at or before `at` (what a restore from it
// restores); empty when there is none.
std::string backedUpTable(const Scenario& scenario, const std::string& backup, SimTime at)
{
    std::string table;
    SimTime latest = -1;
    for (const auto& b : scenario.events)
        if (b.action == EventSpec::Action::CreateBackup && b.backupName == backup && b.at <= at && b.at >= latest) {
            latest = b.at;
            table = b.table;
        }
    return table;
}


std::string secondsText(SimTime t)
{
    const double seconds = secondsOf(t);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g s", seconds);
    return buffer;
}

} // namespace

void Simulator::Impl::addLaterTables()
{
    scenarioTableCount = scenario.tables.size();
    for (const auto& e : scenario.events) {
        if (e.action == EventSpec::Action::ImportTable && e.importTarget) {
            scenario.tables.push_back(*e.importTarget);
            continue;
        }
        if (e.action != EventSpec::Action::RestoreTable || e.target.empty())
            continue;
        const std::string sourceName = e.table.empty() ? backedUpTable(scenario, e.backupName, e.at) : e.table;
        const auto source = std::find_if(scenario.tables.begin(), scenario.tables.begin() + static_cast<std::ptrdiff_t>(scenarioTableCount),
            [&](const TableSpec& s) { return s.name == sourceName; });
        if (source == scenario.tables.begin() + static_cast<std::ptrdiff_t>(scenarioTableCount))
            continue;
        // What DynamoDB restores (reference A8): keys, indexes, billing mode and capacity (set
        // from the engine's table when made), on-demand maxima; not TTL, streams, PITR, auto
        // scaling; table class STANDARD.
        TableSpec target;
        target.name = e.target;
        target.partitionKey = source->partitionKey;
        target.sortKey = source->sortKey;
        target.billingMode = source->billingMode;
        target.provisionedRead = source->provisionedRead;
        target.provisionedWrite = source->provisionedWrite;
        target.onDemand.maxRead = source->onDemand.maxRead;
        target.onDemand.maxWrite = source->onDemand.maxWrite;
        target.globalSecondaryIndexes = source->globalSecondaryIndexes;
        for (auto& index : target.globalSecondaryIndexes)
            index.autoScaling.reset();
        target.localSecondaryIndexes = source->localSecondaryIndexes;
        // Indexes a createIndex event added to the source before the restore are restored too.
        for (const auto& c : scenario.events)
            if (c.action == EventSpec::Action::CreateIndex && c.table == sourceName && c.at < e.at && c.index) {
                IndexSpec index = *c.index;
                index.autoScaling.reset();
                target.globalSecondaryIndexes.push_back(std::move(index));
            }
        scenario.tables.push_back(std::move(target));
    }
}

void Simulator::Impl::prepareLaterTable(std::size_t ti)
{
    TableRuntime& t = tables[ti];
    const TableSpec& spec = scenario.tables[ti];
    t.spec = &spec;
    t.name = spec.name;
    t.result.name = spec.name;
    t.later = true;
    t.absent = true;
    t.onDemand = &spec.onDemand;
    t.mode = spec.billingMode;
    tableIndex[spec.name] = ti;
    for (const auto& e : scenario.events)
        if (e.action == EventSpec::Action::ImportTable && e.importTarget && e.importTarget->name == spec.name)
            t.result.uses.dataImport = true;
}

Status Simulator::Impl::setUpDataLifecycle(TableRuntime& t)
{
    // tables[].pitr: ENABLED from t = 0, after initialData (which is there at t = 0), so that
    // restores and exports have a recovery window (reference A8).
    if (!t.spec->pitr)
        return Status::ok();
    auto enabled = engine->updateContinuousBackups(
        t.spec->name, true, static_cast<int>(t.spec->pitr->recoveryPeriodDays), now);
    if (!enabled)
        return enabled.status();
    return Status::ok();
}

void Simulator::Impl::laterTableCreated(std::size_t ti, const TableState& state)
{
    TableRuntime& t = tables[ti];
    TableSpec& spec = scenario.tables[ti];
    t.absent = false;
    t.accruedTo = now;
    t.activeAt = state.restore ? state.restore->completesAt : state.isCreating() ? state.creatingUntil : now;
    // The settings DynamoDB gave the table (a restore: those in force at the restore point).
    spec.billingMode = state.billingMode;
    spec.provisionedRead = state.readCapacity;
    spec.provisionedWrite = state.writeCapacity;
    std::erase_if(spec.globalSecondaryIndexes, [&](const IndexSpec& i) { return !state.findIndex(i.name); });
    std::erase_if(spec.localSecondaryIndexes, [&](const IndexSpec& i) { return !state.findIndex(i.name); });
    t.mode = state.billingMode;
    t.tableClass = state.tableClass;
    t.provisioned[Dimension::Read] = static_cast<double>(state.readCapacity);
    t.provisioned[Dimension::Write] = static_cast<double>(state.writeCapacity);
    t.onDemandGrowth[Dimension::Read].peak = static_cast<double>(state.peakRead);
    t.onDemandGrowth[Dimension::Write].peak = static_cast<double>(state.peakWrite);
    t.capacity = std::make_unique<CapacityModel>(scenario.model, now);
    syncPartitions(t, false);
    applyRates(t);
    t.result.partitionsInitial = static_cast<std::int64_t>(t.capacity->partitionCount());
    for (const auto& index : spec.globalSecondaryIndexes)
        addIndexRuntime(ti, index, false);
    for (const auto& index : spec.localSecondaryIndexes)
        addIndexRuntime(ti, index, false);
}

bool Simulator::Impl::tableServing(TableRuntime& t)
{
    if (!t.later)
        return true;
    if (t.absent)
        return false;
    const TableState* state = engine->tableIncludingRestoring(t.spec->name);
    if (!state)
        return false;
    const SimTime until = state->restore ? state->restore->completesAt : state->creatingUntil;
    if (until == 0 || now >= until) {
        if (until != 0)
            if (Status advanced = engine->advanceTime(now); !advanced)
                engineFailed(advanced);
        if (!t.activeReported) {
            t.activeReported = true;
            DataMoved active;
            active.request = t.result.imports.empty() ? "restoreTable" : "importTable";
            active.name = t.spec->name;
            active.status = "ACTIVE";
            active.itemCount = weighted(state->itemCount(), weightOf(t));
            active.sizeBytes = weighted(state->billableBytes(), weightOf(t));
            active.detail = "the table is ACTIVE: requests reach it from here";
            result.events.push_back({ secondsOf(t.activeAt), t.name, EventKind::EventApplied, std::move(active) });
        }
        return engine->table(t.spec->name) != nullptr;
    }
    return false;
}

void Simulator::Impl::refuseLifecycleEvent(
    const EventSpec& e, const std::string& table, const std::string& subject, const Status& status)
{
    ChangeRefused refused;
    refused.request = requestOf(e.action);
    refused.subject = subject;
    refused.errorType = status.type();
    refused.message = status.message();
    event(table, EventKind::EventRefused, std::move(refused));
}

void Simulator::Impl::createBackupEvent(const EventSpec& e)
{
    TableRuntime& t = tables[tableIndex.at(e.table)];
    auto backup = engine->createBackup(e.table, e.backupName, now);
    if (!backup) {
        if (backup.status().is(error::kInternalServerError)) {
            engineFailed(backup.status());
            return;
        }
        refuseLifecycleEvent(e, e.table, e.backupName, backup.status());
        return;
    }
    backupArns[e.backupName] = backup->arn;
    // Storage so far at the old backup bytes; the new backup bills from now (reference A5, A8).
    accrueCost(t, now);
    const double w = weightOf(t);
    t.backupBytes += static_cast<double>(backup->sizeBytes) * w;
    DataMovement moved;
    moved.timeSeconds = secondsOf(now);
    moved.name = e.backupName;
    moved.status = backupStatusName(backup->statusAt(now));
    moved.sizeBytes = weighted(backup->sizeBytes, w);
    moved.itemCount = weighted(backup->itemCount, w);
    moved.detail = backup->arn;
    t.result.backups.push_back(moved);
    DataMoved applied;
    applied.request = "createBackup";
    applied.name = e.backupName;
    applied.status = moved.status;
    applied.sizeBytes = moved.sizeBytes;
    applied.itemCount = moved.itemCount;
    applied.detail = "USER backup " + backup->arn + ", billed per GB-month while it exists";
    event(e.table, EventKind::EventApplied, std::move(applied));
}

void Simulator::Impl::restoreTableEvent(const EventSpec& e)
{
    const bool pointInTime = !e.table.empty();
    const std::string sourceName = pointInTime ? e.table : backedUpTable(scenario, e.backupName, e.at);
    auto sourceIt = tableIndex.find(sourceName);
    auto targetIt = tableIndex.find(e.target);
    Result<TableState> restored = Status::internal("restore not attempted");
    std::string detail;
    if (pointInTime) {
        PointInTimeRestoreRequest request;
        request.sourceTableName = e.table;
        request.targetTableName = e.target;
        request.restoreDateTime = e.pointInTime.value_or(now);
        restored = engine->restoreTableToPointInTime(request, now);
        detail = "from " + e.table + " as it was at " + secondsText(request.restoreDateTime.value_or(now));
    } else {
        // The latest accepted createBackup of that name; one that DynamoDB refused left no
        // backup, so DynamoDB answers BackupNotFoundException for the ARN asked for.
        auto arn = backupArns.find(e.backupName);
        const std::string backupArn = arn != backupArns.end()
            ? arn->second
            : engine->tableArn(sourceName.empty() ? e.backupName : sourceName) + "/backup/" + e.backupName;
        restored = engine->restoreTableFromBackup(e.target, backupArn, RestoreOverrides {}, now);
        detail = "from backup " + e.backupName + " (" + backupArn + ")";
    }
    const std::string reportOn = sourceName.empty() ? e.target : sourceName;
    if (!restored) {
        if (restored.status().is(error::kInternalServerError)) {
            engineFailed(restored.status());
            return;
        }
        refuseLifecycleEvent(e, reportOn, e.target, restored.status());
        return;
    }
    const TableState& state = *restored;
    const std::int64_t bytes = state.restore ? state.restore->restoredBytes : state.billableBytes();
    // A restored sample stands for 1/r as much (reference A13); billed once at the start (A5).
    const double w = sourceIt != tableIndex.end() ? weightOf(tables[sourceIt->second]) : weight;
    const double cost = restoreCost(options.pricing, static_cast<double>(bytes) * w);
    DataMovement moved;
    moved.timeSeconds = secondsOf(now);
    moved.name = e.target;
    moved.status = "CREATING";
    moved.sizeBytes = weighted(bytes, w);
    moved.itemCount = weighted(state.itemCount(), w);
    moved.detail = detail;
    moved.cost = cost;
    if (sourceIt != tableIndex.end()) {
        TableRuntime& source = tables[sourceIt->second];
        source.result.cost.restore += cost;
        source.result.uses.restore = true;
        source.result.restores.push_back(moved);
    }
    DataMoved applied;
    applied.request = "restoreTable";
    applied.name = e.target;
    applied.status = "CREATING";
    applied.sizeBytes = moved.sizeBytes;
    applied.itemCount = moved.itemCount;
    applied.detail = detail + "; CREATING until " + secondsText(state.restore ? state.restore->completesAt : now);
    applied.cost = cost;
    event(reportOn, EventKind::EventApplied, std::move(applied));
    if (targetIt != tableIndex.end()) {
        laterTableCreated(targetIt->second, state);
    }
}

void Simulator::Impl::importTableEvent(const EventSpec& e)
{
    if (!e.importTarget)
        return;
    const std::string& name = e.importTarget->name;
    auto targetIt = tableIndex.find(name);
    // The scenario's source folder stands for S3: its parent is the S3 root, its name the bucket,
    // every object under it imported (no key prefix). ImportTable only reads there.
    std::filesystem::path folder = std::filesystem::path(e.importSource).lexically_normal();
    if (folder.filename().empty())
        folder = folder.parent_path();
    ImportTableRequest request;
    request.s3Bucket = folder.filename().string();
    if (!exchange::parseImportFormatName(e.exportFormat, request.inputFormat)
        || !exchange::parseCompressionName(e.importCompression, request.compression)) {
        refuseLifecycleEvent(e, name, name, Status::validation("unknown InputFormat or InputCompressionType"));
        return;
    }
    request.tableCreationParameters = createRequestOf(*e.importTarget);
    const std::string savedRoot = engine->s3Root();
    engine->setS3Root(folder.parent_path().string());
    auto imported = engine->importTable(request, now);
    engine->setS3Root(savedRoot);
    if (!imported) {
        if (imported.status().is(error::kInternalServerError)) {
            engineFailed(imported.status());
            return;
        }
        refuseLifecycleEvent(e, name, name, imported.status());
        return;
    }
    const ImportRecord& record = *imported;
    // Billed per GB of the uncompressed source, once (reference A5, A9). The source is read
    // whole, not sampled, so its figures are not weighted.
    const double cost = importCost(options.pricing, static_cast<double>(record.processedSizeBytes));
    DataMovement moved;
    moved.timeSeconds = secondsOf(now);
    moved.name = name;
    moved.status = importStatusName(record.outcome);
    moved.sizeBytes = record.processedSizeBytes;
    moved.itemCount = record.importedItemCount;
    moved.detail = e.exportFormat + ", " + e.importCompression + ", " + std::to_string(record.processedItemCount)
        + " records read, " + std::to_string(record.errorCount) + " item errors"
        + (record.failureCode.empty() ? std::string() : ", " + record.failureCode);
    moved.cost = cost;
    DataMoved applied;
    applied.request = "importTable";
    applied.name = name;
    applied.status = moved.status;
    applied.sizeBytes = moved.sizeBytes;
    applied.itemCount = moved.itemCount;
    applied.errorCount = record.errorCount;
    applied.detail = moved.detail + "; from folder " + folder.filename().string() + ", CREATING until " + secondsText(record.endTime);
    applied.cost = cost;
    if (targetIt != tableIndex.end()) {
        TableRuntime& t = tables[targetIt->second];
        t.result.uses.dataImport = true;
        t.result.imports.push_back(moved);
        t.result.cost.dataImport += cost;
        t.unsampled = true;
        if (const TableState* state = engine->tableIncludingRestoring(name))
            laterTableCreated(targetIt->second, *state);
    }
    event(name, EventKind::EventApplied, std::move(applied));
}

void Simulator::Impl::exportTableEvent(const EventSpec& e)
{
    TableRuntime& t = tables[tableIndex.at(e.table)];
    // The run's exports go to a folder standing for S3 (the scenario names no bucket): beside the
    // engine database when the run keeps one (`<enginePath>.s3`, for the studio's Data view), else
    // a private temporary folder removed after the run (the run keeps their sizes and cost).
    if (exportRoot.empty()) {
        std::error_code ec;
        std::filesystem::path folder;
        const bool kept = !options.enginePath.empty() && options.enginePath != ":memory:";
        if (kept) {
            folder = options.enginePath + ".s3";
            // Never into a folder capsim did not make for this run.
            if (std::filesystem::exists(folder, ec)) {
                engineFailed(Status::internal("exportTable: " + folder.string() + " exists already; capsim writes a run's exports only into a new folder"));
                return;
            }
        } else {
            std::random_device random;
            folder = std::filesystem::temp_directory_path(ec)
                / ("capsim-exports-" + std::to_string(random()) + "-" + std::to_string(random()));
        }
        if (ec || !std::filesystem::create_directories(folder / kExportBucket, ec) || ec) {
            engineFailed(Status::internal("exportTable: cannot create the folder " + folder.string() + " for the export"));
            return;
        }
        exportRoot = folder.string();
        exportRootTemporary = !kept;
    }
    ExportTableRequest request;
    request.tableArn = engine->tableArn(e.table);
    request.s3Bucket = kExportBucket;
    request.s3Prefix = e.table;
    request.exportFormat = e.exportFormat == "ION" ? exchange::ExportFormat::Ion : exchange::ExportFormat::DynamoDbJson;
    if (e.incrementalExport) {
        request.exportType = ExportType::Incremental;
        request.exportFromTime = e.pointInTime.value_or(now);
        request.exportToTime = now;
    } else {
        request.exportTime = e.pointInTime.value_or(now);
    }
    // The engine writes an export's files at its completion, in its background work: the S3
    // root stays the run's export folder (an import sets its source's parent only for its call).
    engine->setS3Root(exportRoot);
    auto exported = engine->exportTableToPointInTime(request, now);
    if (!exported) {
        if (exported.status().is(error::kInternalServerError)) {
            engineFailed(exported.status());
            return;
        }
        refuseLifecycleEvent(e, e.table, e.table, exported.status());
        return;
    }
    const ExportRecord& record = *exported;
    // BilledSizeBytes: full, the table + LSI billable bytes; incremental, the lines' image bytes,
    // at least 10 MiB (reference A9). A sample stands for 1/r as much (A13); the 10 MiB minimum
    // applies to the weighted bytes (a minimum-billed sample is billed the minimum).
    const double w = weightOf(t);
    const bool atMinimum = e.incrementalExport && record.billedSizeBytes <= kIncrementalExportMinBilledBytes;
    const double billed = atMinimum ? static_cast<double>(record.billedSizeBytes)
                                    : static_cast<double>(record.billedSizeBytes) * w;
    const double cost = exportCost(options.pricing, billed, e.incrementalExport);
    DataMovement moved;
    moved.timeSeconds = secondsOf(now);
    moved.name = record.exportId;
    moved.status = "IN_PROGRESS";
    moved.sizeBytes = std::llround(billed);
    moved.detail = std::string(e.incrementalExport ? "INCREMENTAL_EXPORT from " + secondsText(record.exportFromTime) + " to "
                                                       : "FULL_EXPORT at ")
        + secondsText(e.incrementalExport ? record.exportToTime : record.exportTime) + ", " + e.exportFormat
        + ", COMPLETED at " + secondsText(record.endTime);
    moved.cost = cost;
    exportArns.emplace_back(tableIndex.at(e.table), t.result.exports.size(), record.exportArn);
    t.result.exports.push_back(moved);
    t.result.cost.dataExport += cost;
    t.result.uses.dataExport = true;
    DataMoved applied;
    applied.request = "exportTable";
    applied.name = moved.name;
    applied.status = moved.status;
    applied.sizeBytes = moved.sizeBytes;
    applied.detail = moved.detail + "; " + record.exportArn;
    applied.cost = cost;
    event(e.table, EventKind::EventApplied, std::move(applied));
}

void Simulator::Impl::dataLifecycleEvent(const EventSpec& e)
{
    // Background work due by now (TTL, restores completing) first: the engine's clock is the run's.
    if (Status advanced = engine->advanceTime(now); !advanced) {
        ttlFailure = advanced;
        return;
    }
    switch (e.action) {
    case EventSpec::Action::CreateBackup: createBackupEvent(e); return;
    case EventSpec::Action::RestoreTable: restoreTableEvent(e); return;
    case EventSpec::Action::ExportTable: exportTableEvent(e); return;
    case EventSpec::Action::ImportTable: importTableEvent(e); return;
    default: break;
    }
    // updateTimeToLive: through the engine, with DynamoDB's rules (one change an hour, no second enable...).
    TimeToLiveSpecification spec;
    spec.enabled = e.ttlEnabled;
    spec.attributeName = e.ttlAttribute;
    auto updated = engine->updateTimeToLive(e.table, spec, now);
    if (!updated) {
        refuseLifecycleEvent(e, e.table, e.ttlAttribute, updated.status());
        return;
    }
    event(e.table, EventKind::EventApplied, TimeToLiveUpdated { e.ttlEnabled, e.ttlAttribute });
}

void Simulator::Impl::finishDataLifecycle(TableRuntime& t)
{
    // Exports finish on the engine's clock (their files written at completion): their outcome
    // and item count at the end of the run.
    if (!exportRoot.empty()) {
        if (Status advanced = engine->advanceTime(scenario.duration); !advanced)
            engineFailed(advanced);
        for (const auto& [table, position, arn] : exportArns) {
            if (&tables[table] != &t)
                continue;
            auto described = engine->describeExport(arn);
            if (!described)
                continue;
            DataMovement& m = t.result.exports[position];
            m.status = exportStatusName(described->statusAt(scenario.duration));
            m.itemCount = weighted(described->itemCount, weightOf(t));
            if (!described->failureCode.empty())
                m.detail += ", " + described->failureCode + ": " + described->failureMessage;
        }
    }
    // Each backup's own share of the backup line: its bytes from its request to the end.
    const double end = secondsOf(scenario.duration);
    for (auto& b : t.result.backups)
        b.cost = backupStorageCost(options.pricing, static_cast<double>(b.sizeBytes), end - b.timeSeconds);
}

void Simulator::Impl::removeExportFolder()
{
    if (exportRoot.empty())
        return;
    if (exportRootTemporary) {
        std::error_code ec;
        std::filesystem::remove_all(exportRoot, ec);
    }
    exportRoot.clear();
}

} // namespace capsim

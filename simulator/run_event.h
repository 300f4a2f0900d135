#pragma once
// RunEvent: something that happened during a run (a scaling decision, capacity coming into
// force, a split, a scenario event applied or refused, a throttle episode...), as a kind and a
// typed payload. Text for people is rendered in one place, eventText(); explanations, charts and
// the studio read the kind and payload. Plain values; the functions are pure, any thread.

#include "engine/status.h"
#include "engine/table.h"
#include "simulator/dimension.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace capsim {

// The `kind` column of events.csv (contracts/cli.md).
enum class EventKind {
    ScaleOut, // an auto-scaling decision to raise capacity
    ScaleIn, // ... to lower it
    CapacityChanged, // provisioned capacity came into force
    PartitionSplit,
    EventApplied, // a scenario event (or a policy change) that took effect
    EventRefused, // a change DynamoDB refused, with its error
    ThrottleStart,
    ThrottleEnd,
    ModeSwitch, // a billing-mode change came into force
    IndexCreating,
    IndexActive,
    IndexDeleted,
    RequestFailed, // a request DynamoDB answered with an error other than a throttle (the first of each kind)
};

// "scaleOut", "capacityChanged"...
std::string_view eventKindName(EventKind kind);
// The kind named `name`; nullopt when there is none.
std::optional<EventKind> parseEventKind(std::string_view name);

// scaleOut / scaleIn: auto scaling's decision, from the mean of its last datapoints.
struct ScalingDecision {
    Dimension dimension = Dimension::Read;
    std::int64_t fromUnits = 0; // capacity in force when deciding
    std::int64_t toUnits = 0; // capacity asked for
    std::int64_t datapoints = 0; // minutes averaged
    double meanUnitsPerSecond = 0;
    double targetPercent = 0;
};

// capacityChanged: provisioned capacity of one dimension in force.
struct CapacityInForce {
    Dimension dimension = Dimension::Read;
    std::int64_t fromUnits = 0;
    std::int64_t toUnits = 0;
};

// partitionSplit: the partition count changed (a split for heat divides one hot partition).
struct PartitionCountChange {
    std::int64_t fromPartitions = 0;
    std::int64_t toPartitions = 0;
    bool forHeat = false;
};

// modeSwitch: a billing mode in force.
struct BillingModeInForce {
    BillingMode mode = BillingMode::Provisioned;
};

// throttleStart / throttleEnd of one dimension, in a simulated minute; a start carries the
// minute's throttled requests and the error they were answered with.
struct ThrottleChange {
    Dimension dimension = Dimension::Read;
    std::int64_t minute = 0;
    std::int64_t throttledRequests = 0;
    std::string errorType;
};

// eventApplied: a setWorkloadRate event.
struct WorkloadRateChanged {
    std::string workload;
};

// eventApplied: a setAutoScaling event (set, or removed).
struct AutoScalingPolicyChanged {
    bool removed = false;
};

// eventApplied: an updateTable event, with what changed. Also what a refused updateTable asked.
struct TableUpdated {
    std::optional<TableClass> tableClass;
    std::optional<BillingMode> billingMode;
    std::optional<std::int64_t> readUnits; // provisioned capacity, both or neither
    std::optional<std::int64_t> writeUnits;
};

// eventApplied: an updateTimeToLive event (TTL enabled or disabled on an attribute).
struct TimeToLiveUpdated {
    bool enabled = false;
    std::string attribute;
};

// indexCreating (items to backfill), indexActive (entries backfilled), indexDeleted.
struct IndexChange {
    std::string index;
    std::int64_t items = 0;
};

// eventRefused: a change DynamoDB refused (reference: events are refused with DynamoDB's error).
struct ChangeRefused {
    enum class Request {
        AutoScaling,
        UpdateTable,
        CreateIndex,
        DeleteIndex,
        Backfill,
        UpdateTimeToLive,
        CreateBackup,
        RestoreTable,
        ExportTable,
        ImportTable
    };
    Request request = Request::UpdateTable;
    std::optional<ScalingDecision> scaling; // AutoScaling: the decision refused
    std::optional<TableUpdated> update; // UpdateTable: what it asked for
    std::string index; // CreateIndex, DeleteIndex, Backfill
    std::string subject; // lifecycle events: the TTL attribute, backup or new table concerned
    std::string errorType; // "ResourceInUseException"
    std::string message;
};

// requestFailed: a request DynamoDB refused with an error other than a throttle (a transaction
// over 4 MB, an item collection over 10 GB...). The SDK does not retry it, so the client gives
// up on it (it counts as failed). Recorded for the first such error of each type on a table.
struct RequestFailure {
    std::string operation; // "TransactWriteItems"
    std::string errorType; // "ValidationException"
    std::string message;
};

// eventApplied: a createBackup, restoreTable, exportTable or importTable event DynamoDB accepted
// (and the restored or imported table turning ACTIVE): what moved, how big, at what cost.
struct DataMoved {
    std::string request; // "createBackup", "restoreTable", "exportTable", "importTable"
    std::string name; // the backup's name, the export's id, the restored or imported table
    std::string status; // "AVAILABLE", "CREATING", "ACTIVE", "IN_PROGRESS", "COMPLETED", "FAILED"
    std::int64_t sizeBytes = 0; // BackupSizeBytes, restored bytes, BilledSizeBytes, ProcessedSizeBytes (weighted)
    std::int64_t itemCount = 0;
    std::int64_t errorCount = 0; // importTable: items skipped
    std::string detail; // the source, format, restore point...
    double cost = 0; // billed at the request (a backup's storage accrues afterwards)
};

// eventApplied: a regionOutage event's start (the region unreachable for `durationSeconds`) and end
// (reachable again, with the replicated changes then queued for it and from it, which drain at
// model.replicationCatchUpRate; reference A11).
struct RegionOutageChange {
    std::string region;
    bool down = true;
    double durationSeconds = 0;
    std::int64_t queuedChanges = 0; // at the end: changes waiting for the region's replicas (weighted)
};

// The detail of an event read from a results database written before payloads were stored.
struct UnparsedDetail {
    std::string text;
};

using EventPayload = std::variant<std::monostate, ScalingDecision, CapacityInForce, PartitionCountChange,
    BillingModeInForce, ThrottleChange, WorkloadRateChanged, AutoScalingPolicyChanged, TableUpdated, IndexChange,
    ChangeRefused, RequestFailure, UnparsedDetail, TimeToLiveUpdated, DataMoved, RegionOutageChange>;

struct RunEvent {
    double timeSeconds = 0;
    std::string table; // "<table>", "<table>/<index>", or "" for the whole run
    EventKind kind = EventKind::EventApplied;
    EventPayload payload;
};

// The human-readable detail (the `detail` column of events.csv).
std::string eventText(const RunEvent& event);

// The capacity dimension an event concerns (scaling, capacity, throttle events, and refused
// auto-scaling decisions); nullopt for those that concern the table as a whole.
std::optional<Dimension> eventDimension(const RunEvent& event);

// The capacity an event sets or asks for (scaleOut/scaleIn/capacityChanged: units; partitionSplit:
// the partition count); nullopt for the others.
std::optional<std::int64_t> eventTarget(const RunEvent& event);

// The payload as JSON text (for the results database) and back. A payload that does not fit the
// kind, or text that is not a payload, is InternalServerError.
std::string eventPayloadJson(const EventPayload& payload);
Result<EventPayload> parseEventPayload(EventKind kind, std::string_view json);

} // namespace capsim

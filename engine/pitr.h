#pragma once
// Point-in-time recovery and on-demand backups (reference A8, facts in Part C 9): the model's
// defaults, the recovery window's arithmetic, and the value types the engine's PITR and backup
// calls return. The engine side is engine/pitr.cpp (window, change log, restores) and
// engine/backups.cpp; the storage engine/sqlite/pitr_store.cpp. Value types, pure functions.

#include "engine/operations.h"
#include "engine/table.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

// Model defaults (reference A8), which the simulator may override through the engine's setters.
inline constexpr EngineTime kPitrLag = 300 * kMicrosPerSecond; // model.pitrLag
inline constexpr EngineTime kRestoreMinDuration = 180 * kMicrosPerSecond; // model.restoreMinSeconds
inline constexpr std::int64_t kRestoreBytesPerSecond = 32LL * 1024 * 1024; // model.restoreRate
inline constexpr EngineTime kBackupDelay = 0; // model.backupDelay
inline constexpr int kDefaultRecoveryPeriodDays = 35;
inline constexpr int kMinRecoveryPeriodDays = 1;
inline constexpr int kMaxRecoveryPeriodDays = 35;
// The DeleteTable system backup is kept 35 days (reference C 9).
inline constexpr EngineTime kSystemBackupRetention = 35 * 24 * kMicrosPerHour;
inline constexpr EngineTime kMicrosPerDay = 24 * kMicrosPerHour;

// The recovery window of reference A8 at `now` (only meaningful while enabled):
// Earliest = max(tEnable, now - P days), Latest = max(tEnable, now - lag).
EngineTime earliestRestorableTime(const PointInTimeRecoveryState& pitr, EngineTime now);
EngineTime latestRestorableTime(const PointInTimeRecoveryState& pitr, EngineTime now, EngineTime lag = kPitrLag);
// How long a restore of `bytes` keeps its target CREATING: max(minimum, bytes / rate) (A8).
EngineTime restoreDuration(std::int64_t bytes, EngineTime minimum = kRestoreMinDuration,
    std::int64_t bytesPerSecond = kRestoreBytesPerSecond);

// DescribeContinuousBackups' ContinuousBackupsDescription.
struct ContinuousBackupsDescription {
    bool enabled = false; // PointInTimeRecoveryStatus ENABLED / DISABLED
    EngineTime earliestRestorable = 0; // only when enabled
    EngineTime latestRestorable = 0;
    int recoveryPeriodDays = kDefaultRecoveryPeriodDays;
};

// What a restore may change (RestoreTableToPointInTime and RestoreTableFromBackup). Index
// overrides name their key attributes only: types come from the source.
struct RestoreOverrides {
    std::optional<BillingMode> billingMode;
    std::optional<std::int64_t> readCapacity; // ProvisionedThroughputOverride
    std::optional<std::int64_t> writeCapacity;
    std::optional<std::vector<IndexDefinition>> globalSecondaryIndexes;
    std::optional<std::vector<IndexDefinition>> localSecondaryIndexes;
};

struct PointInTimeRestoreRequest {
    std::optional<std::string> sourceTableName;
    std::optional<std::string> sourceTableArn;
    std::string targetTableName;
    std::optional<EngineTime> restoreDateTime;
    bool useLatestRestorableTime = false;
    RestoreOverrides overrides;
};

enum class BackupType { User, System };
enum class BackupStatus { Creating, Available, Deleted };
const char* backupTypeName(BackupType type);
const char* backupStatusName(BackupStatus status);

// One on-demand or system backup: its details, and the source table's description as it was
// (TableState JSON text), from which RestoreTableFromBackup and DescribeBackup read.
struct BackupRecord {
    std::int64_t id = 0;
    std::string arn;
    std::string name;
    BackupType type = BackupType::User;
    std::string tableName;
    std::string tableId; // the source's TableId (UUID)
    std::string tableArn;
    EngineTime createdAt = 0;
    EngineTime availableAt = 0; // createdAt + model.backupDelay
    std::optional<EngineTime> expiresAt; // SYSTEM backups
    std::int64_t sizeBytes = 0; // BackupSizeBytes: billable bytes of table and LSIs (A8)
    std::int64_t itemCount = 0;
    std::string tableDescription;

    BackupStatus statusAt(EngineTime now) const { return now >= availableAt ? BackupStatus::Available : BackupStatus::Creating; }
};

// ListBackups' filters (reference C 9): TableName, a TimeRange with an inclusive lower and an
// exclusive upper bound, BackupType (USER by default; ALL for every type), a page of Limit
// (1-100) after ExclusiveStartBackupArn.
struct ListBackupsRequest {
    std::optional<std::string> tableName;
    std::optional<EngineTime> timeRangeLower;
    std::optional<EngineTime> timeRangeUpper;
    std::optional<std::string> backupType; // USER | SYSTEM | AWS_BACKUP | ALL
    std::optional<std::int64_t> limit;
    std::optional<std::string> exclusiveStartBackupArn;
};

struct ListBackupsResult {
    std::vector<BackupRecord> backups;
    std::optional<std::string> lastEvaluatedBackupArn;
};

// The DynamoDB error types of A8 (the wire "__type" suffix).
namespace error {
inline constexpr const char* kTableNotFound = "TableNotFoundException";
inline constexpr const char* kTableAlreadyExists = "TableAlreadyExistsException";
inline constexpr const char* kTableInUse = "TableInUseException";
inline constexpr const char* kPointInTimeRecoveryUnavailable = "PointInTimeRecoveryUnavailableException";
inline constexpr const char* kInvalidRestoreTime = "InvalidRestoreTimeException";
inline constexpr const char* kBackupNotFound = "BackupNotFoundException";
inline constexpr const char* kBackupInUse = "BackupInUseException";
} // namespace error

} // namespace capsim

#pragma once
// Kinesis Data Streams for DynamoDB destinations (reference C 8; the DynamoDB API's
// EnableKinesisStreamingDestination, DisableKinesisStreamingDestination,
// DescribeKinesisStreamingDestination and UpdateKinesisStreamingDestination): value types. The
// engine side is engine/kinesis.cpp; destinations are stored with the exchange jobs (kind
// "kinesis"). Value types, thread-agnostic.

#include "engine/operations.h"

#include <optional>
#include <string>
#include <vector>

namespace capsim {

// How long a destination is ENABLING or DISABLING: the reference gives no figure, so capsim
// uses its stream toggle delay (model.streamToggleDelay, 5 s; UNCONFIRMED for Kinesis).
inline constexpr EngineTime kKinesisToggleDelay = 5 * kMicrosPerSecond;

enum class KinesisDestinationStatus { Enabling, Active, Disabling, Disabled };
const char* kinesisDestinationStatusName(KinesisDestinationStatus status);

// One destination of one table: the Kinesis stream, its timestamp precision, and when it was
// enabled and (if so) disabled.
struct KinesisDestination {
    std::string tableName;
    std::string streamArn;
    std::string precision = "MILLISECOND"; // ApproximateCreationDateTimePrecision
    EngineTime enabledAt = 0;
    std::optional<EngineTime> disabledAt;
    EngineTime toggleDelay = kKinesisToggleDelay;

    KinesisDestinationStatus statusAt(EngineTime now) const
    {
        if (disabledAt)
            return now < *disabledAt + toggleDelay ? KinesisDestinationStatus::Disabling : KinesisDestinationStatus::Disabled;
        return now < enabledAt + toggleDelay ? KinesisDestinationStatus::Enabling : KinesisDestinationStatus::Active;
    }
};

// "arn:aws:kinesis:<region>:<account>:stream/<name>" (37-1024 characters).
bool validKinesisStreamArn(const std::string& arn);

} // namespace capsim

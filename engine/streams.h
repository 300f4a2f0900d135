#pragma once
// DynamoDB Streams (reference A7, facts in part C 8): the model's defaults, the stream
// specification of CreateTable/UpdateTable, and the value types of the Streams API as the
// engine returns them (streams, shards, records, iterators' reads). The engine's stream state
// lives in engine/streams.cpp and engine/sqlite/stream_store.*. Value types; thread-agnostic.

#include "engine/attribute_value.h"
#include "engine/table.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim {

namespace error {
inline constexpr const char* kTrimmedDataAccess = "TrimmedDataAccessException";
inline constexpr const char* kExpiredIterator = "ExpiredIteratorException";
} // namespace error

// model.streamToggleDelay: ENABLING/DISABLING (and the table UPDATING) after a toggle (A7).
inline constexpr EngineTime kStreamToggleDelay = 5 * kMicrosPerSecond;
// model.streamShardRollover: an open shard is replaced by one child this long after opening (A7).
inline constexpr EngineTime kStreamShardRollover = 4 * kMicrosPerHour;
// model.streamRetention: records older than this are trimmed; a disabled stream leaves
// ListStreams this long after its disable (A7, C 8).
inline constexpr EngineTime kStreamRetention = 24 * kMicrosPerHour;
// A shard iterator is valid this long after it is returned (A7, C 8).
inline constexpr EngineTime kShardIteratorLifetime = 15 * 60 * kMicrosPerSecond;
// GetRecords: at most 1,000 records (the default Limit) and 1 MB of SizeBytes (A7, C 8).
inline constexpr std::int64_t kGetRecordsMaxLimit = 1000;
inline constexpr std::int64_t kGetRecordsMaxBytes = 1024 * 1024;
// ListStreams and DescribeStream page sizes (Limit 1-100, default 100).
inline constexpr std::int64_t kStreamsMaxLimit = 100;

enum class StreamViewType { KeysOnly, NewImage, OldImage, NewAndOldImages };
const char* streamViewTypeName(StreamViewType type);
bool parseStreamViewType(std::string_view text, StreamViewType& out);
inline bool viewIncludesNew(StreamViewType t) { return t == StreamViewType::NewImage || t == StreamViewType::NewAndOldImages; }
inline bool viewIncludesOld(StreamViewType t) { return t == StreamViewType::OldImage || t == StreamViewType::NewAndOldImages; }

// The StreamSpecification of CreateTable and UpdateTable: enabling needs a view type, disabling
// omits it (checked by the engine with part C 8's messages).
struct StreamSpecification {
    bool enabled = false;
    std::optional<StreamViewType> viewType;
};

// StreamStatus of DescribeStream.
enum class StreamStatus { Enabling, Enabled, Disabling, Disabled };
const char* streamStatusName(StreamStatus status);

// A shard of a stream: its id, parent, sequence-number range (the counter values of A7, not the
// 21-digit strings; `endingSequence` empty while open) and the hash range of the partition it
// follows.
struct StreamShard {
    std::int64_t ordinal = 0; // 1-based per stream, in opening order
    std::string shardId;
    std::optional<std::string> parentShardId;
    std::int64_t startingSequence = 0;
    std::optional<std::int64_t> endingSequence;
    EngineTime openedAt = 0;
    std::optional<EngineTime> closedAt;
    std::uint64_t hashLow = 0;
    std::uint64_t hashHigh = 0;
    bool isOpen() const { return !endingSequence.has_value(); }
};

// A stream as DescribeStream gives it: all its shards that are not fully trimmed, in opening order.
struct StreamDescription {
    std::string streamArn;
    std::string streamLabel;
    std::string tableName;
    StreamStatus status = StreamStatus::Enabled;
    StreamViewType viewType = StreamViewType::KeysOnly;
    EngineTime createdAt = 0; // CreationRequestDateTime: the enable request
    KeySchema key;
    std::vector<StreamShard> shards;
};

// One entry of ListStreams.
struct ListedStream {
    std::string streamArn;
    std::string tableName;
    std::string streamLabel;
};

struct ListStreamsResult {
    std::vector<ListedStream> streams;
    std::optional<std::string> lastEvaluatedStreamArn;
};

enum class StreamEventName { Insert, Modify, Remove };
const char* streamEventNameText(StreamEventName name);

// One stream record (A7): images only as the stream's view type includes them.
struct StreamRecord {
    std::int64_t sequence = 0; // the counter n; SequenceNumber is sequenceNumberText(sequence)
    std::string shardId;
    StreamEventName eventName = StreamEventName::Insert;
    EngineTime time = 0; // the change's commit time (ApproximateCreationDateTime = floor in seconds)
    Item keys;
    std::optional<Item> newImage;
    std::optional<Item> oldImage;
    std::int64_t sizeBytes = 0;
    StreamViewType viewType = StreamViewType::KeysOnly;
    bool byService = false; // a TTL deletion: userIdentity Service / dynamodb.amazonaws.com
    std::string eventId; // hex of the first 16 bytes of SHA-256(StreamArn || SequenceNumber)
    std::string awsRegion;
};

// What a read of one shard returns (GetRecords, or Engine::readShard without iterators).
struct ShardRead {
    std::vector<StreamRecord> records;
    // Where the next read continues: the last sequence read (or the position given when none).
    std::int64_t nextAfterSequence = 0;
    // The shard is closed and every record of it has been read: no next iterator.
    bool shardEnded = false;
};

enum class ShardIteratorType { TrimHorizon, Latest, AtSequenceNumber, AfterSequenceNumber };

// SequenceNumber on the wire: the decimal of 10^20 + n (21 digits, A7).
std::string sequenceNumberText(std::int64_t sequence);
// The counter n of a 21-digit SequenceNumber; empty for any other text.
std::optional<std::int64_t> parseSequenceNumber(std::string_view text);
// shardId- + opening epoch milliseconds (20 digits) + - + ordinal (8 lowercase hex digits) (A7).
std::string shardIdText(EngineTime openedAt, std::int64_t ordinal);
// StreamLabel: the enable request's time as YYYY-MM-DDThh:mm:ss.sss UTC (A7).
std::string streamLabelText(EngineTime time);

// The stream ARN inside a shard iterator GetShardIterator or GetRecords returned (for the
// authorization of GetRecords, reference A12), or nothing when `iterator` is not one.
std::optional<std::string> streamArnOfShardIterator(const std::string& iterator);

} // namespace capsim

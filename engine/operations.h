#pragma once
// Requests and responses of the engine's DynamoDB operations, as plain values. The wire
// dispatcher maps DynamoDB JSON to these; the simulator builds them directly.

#include "engine/attribute_value.h"
#include "engine/item_size.h"
#include "engine/status.h"
#include "engine/streams.h"
#include "engine/table.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace capsim {

struct CapacityUnits {
    double read = 0.0;
    double write = 0.0;
    double total() const { return read + write; }
};

// Where a request's units landed: the partition that served them.
struct PartitionCapacity {
    std::int64_t partitionId = 0;
    double read = 0.0;
    double write = 0.0;
};

// Units that landed on one partition of a global secondary index (GSI partitions have ids of
// their own, so they are kept apart from the table's).
struct IndexPartitionCapacity {
    std::string indexName;
    std::int64_t partitionId = 0;
    double read = 0.0;
    double write = 0.0;
};

// Capacity one operation consumed on one table, whether or not the caller asked for it.
// `partitions` holds what counts against the table's partitions: the table's own units and
// its LSIs' (reference A2: LSI units are charged to the table), so its sum is table + LSIs.
// GSI units are attributed to the GSI's partitions in `indexPartitions`.
struct ConsumedCapacity {
    std::string tableName;
    CapacityUnits table;
    std::map<std::string, CapacityUnits> globalSecondaryIndexes;
    std::map<std::string, CapacityUnits> localSecondaryIndexes;
    std::vector<PartitionCapacity> partitions;
    std::vector<IndexPartitionCapacity> indexPartitions;

    CapacityUnits total() const;
    void charge(std::int64_t partitionId, double read, double write);
    // Units of a GSI, on one of its partitions.
    void chargeGlobalIndex(const std::string& indexName, std::int64_t indexPartitionId, double read, double write);
    // Units of an LSI, on the table partition holding the item collection.
    void chargeLocalIndex(const std::string& indexName, std::int64_t tablePartitionId, double read, double write);
};

// ReturnItemCollectionMetrics SIZE on a table with LSIs: the item collection written and an
// estimate of its size in GB as a [low, high] range.
struct ItemCollectionMetrics {
    Item itemCollectionKey;
    double sizeEstimateLowGb = 0.0;
    double sizeEstimateHighGb = 0.0;
};

enum class ReturnValues { None, AllOld, UpdatedOld, AllNew, UpdatedNew };
enum class Select { AllAttributes, AllProjectedAttributes, SpecificAttributes, Count };

// ExpressionAttributeNames / ExpressionAttributeValues as sent (absent vs empty matters).
struct ExpressionInput {
    std::optional<std::map<std::string, std::string>> names;
    std::optional<Item> values;
    bool operator==(const ExpressionInput&) const = default;
};

struct GetItemRequest {
    std::string tableName;
    Item key;
    bool consistentRead = false;
    std::optional<std::string> projectionExpression;
    ExpressionInput expressionAttributes;
};

struct GetItemResponse {
    Status status;
    std::optional<Item> item;
    ConsumedCapacity consumed;
};

struct PutItemRequest {
    std::string tableName;
    Item item;
    std::optional<std::string> conditionExpression;
    ExpressionInput expressionAttributes;
    ReturnValues returnValues = ReturnValues::None;
    bool returnOldOnConditionFailure = false;
    bool returnItemCollectionMetrics = false;
};

struct UpdateItemRequest {
    std::string tableName;
    Item key;
    std::optional<std::string> updateExpression;
    std::optional<std::string> conditionExpression;
    ExpressionInput expressionAttributes;
    ReturnValues returnValues = ReturnValues::None;
    bool returnOldOnConditionFailure = false;
    bool returnItemCollectionMetrics = false;
};

struct DeleteItemRequest {
    std::string tableName;
    Item key;
    std::optional<std::string> conditionExpression;
    ExpressionInput expressionAttributes;
    ReturnValues returnValues = ReturnValues::None;
    bool returnOldOnConditionFailure = false;
    bool returnItemCollectionMetrics = false;
};

struct WriteResponse {
    Status status;
    std::optional<Item> attributes; // ReturnValues
    std::optional<Item> conditionFailureItem; // ReturnValuesOnConditionCheckFailure ALL_OLD
    std::optional<ItemCollectionMetrics> itemCollectionMetrics;
    ConsumedCapacity consumed;
};

struct QueryRequest {
    std::string tableName;
    std::optional<std::string> indexName;
    std::string keyConditionExpression;
    std::optional<std::string> filterExpression;
    std::optional<std::string> projectionExpression;
    ExpressionInput expressionAttributes;
    bool consistentRead = false;
    bool scanIndexForward = true;
    std::optional<std::int64_t> limit;
    std::optional<Item> exclusiveStartKey;
    std::optional<Select> select;
};

struct ScanRequest {
    std::string tableName;
    std::optional<std::string> indexName;
    std::optional<std::string> filterExpression;
    std::optional<std::string> projectionExpression;
    ExpressionInput expressionAttributes;
    bool consistentRead = false;
    std::optional<std::int64_t> limit;
    std::optional<Item> exclusiveStartKey;
    std::optional<Select> select;
    std::optional<std::int64_t> segment;
    std::optional<std::int64_t> totalSegments;
};

struct ReadPageResponse {
    Status status;
    std::vector<Item> items;
    std::int64_t count = 0;
    std::int64_t scannedCount = 0;
    std::optional<Item> lastEvaluatedKey;
    ConsumedCapacity consumed;
};

struct KeysAndAttributes {
    std::vector<Item> keys;
    bool consistentRead = false;
    std::optional<std::string> projectionExpression;
    std::optional<std::map<std::string, std::string>> expressionAttributeNames;
};

struct BatchGetItemRequest {
    std::vector<std::pair<std::string, KeysAndAttributes>> requestItems;
};

struct BatchGetItemResponse {
    Status status;
    std::map<std::string, std::vector<Item>> responses;
    std::map<std::string, KeysAndAttributes> unprocessedKeys;
    std::vector<ConsumedCapacity> consumed; // one per table
};

struct WriteRequest {
    bool isPut = true;
    Item item; // the item for a put, the key for a delete
};

struct BatchWriteItemRequest {
    std::vector<std::pair<std::string, std::vector<WriteRequest>>> requestItems;
};

struct BatchWriteItemResponse {
    Status status;
    std::map<std::string, std::vector<WriteRequest>> unprocessedItems;
    std::vector<ConsumedCapacity> consumed;
};

// One action of TransactWriteItems. `item` is the whole item of a Put and the key of the others.
struct TransactWriteAction {
    enum class Type { ConditionCheck, Put, Update, Delete };
    Type type = Type::Put;
    std::string tableName;
    Item item;
    std::optional<std::string> updateExpression; // Update
    std::optional<std::string> conditionExpression; // required for ConditionCheck
    ExpressionInput expressionAttributes;
    bool returnOldOnConditionFailure = false;
    bool operator==(const TransactWriteAction&) const = default;
};

struct TransactWriteItemsRequest {
    std::vector<TransactWriteAction> actions;
    std::optional<std::string> clientRequestToken;
    bool operator==(const TransactWriteItemsRequest&) const = default;
};

// One entry of TransactionCanceledException's CancellationReasons: code "None",
// "ConditionalCheckFailed", "ValidationError" or "ItemCollectionSizeLimitExceeded".
struct CancellationReason {
    std::string code = "None";
    std::string message;
    std::optional<Item> item; // ReturnValuesOnConditionCheckFailure ALL_OLD
};

// `cancellationReasons` has one entry per action when status is TransactionCanceledException.
// `consumed` (one entry per table, in order of first use) is filled for cancelled transactions
// too: DynamoDB consumes capacity for them, though its error response does not say how much.
struct TransactWriteItemsResponse {
    Status status;
    std::vector<CancellationReason> cancellationReasons;
    std::vector<ConsumedCapacity> consumed;
};

struct TransactGetAction {
    std::string tableName;
    Item key;
    std::optional<std::string> projectionExpression;
    std::optional<std::map<std::string, std::string>> expressionAttributeNames;
};

struct TransactGetItemsRequest {
    std::vector<TransactGetAction> gets;
};

// `items` holds one entry per Get, in request order; empty for a missing item.
struct TransactGetItemsResponse {
    Status status;
    std::vector<std::optional<Item>> items;
    std::vector<ConsumedCapacity> consumed;
};

// A secondary index as CreateTable and UpdateTable's Create describe it (key types resolved
// from AttributeDefinitions by the caller).
struct IndexDefinition {
    std::string name;
    KeySchema key;
    ProjectionType projection = ProjectionType::All;
    std::optional<std::vector<std::string>> nonKeyAttributes;
    std::optional<std::int64_t> readCapacity; // GSIs on provisioned tables
    std::optional<std::int64_t> writeCapacity;
};

struct CreateTableRequest {
    std::string tableName;
    KeySchema keySchema;
    BillingMode billingMode = BillingMode::Provisioned;
    std::optional<std::int64_t> readCapacity;
    std::optional<std::int64_t> writeCapacity;
    TableClass tableClass = TableClass::Standard;
    std::vector<IndexDefinition> globalSecondaryIndexes;
    std::vector<IndexDefinition> localSecondaryIndexes;
    std::optional<StreamSpecification> streamSpecification;
};

// One entry of GlobalSecondaryIndexUpdates.
struct GlobalSecondaryIndexUpdate {
    enum class Action { Create, Update, Delete };
    Action action = Action::Create;
    IndexDefinition index; // Create: the whole definition; Update: name and capacity; Delete: name
};

struct UpdateTableRequest {
    std::string tableName;
    std::optional<BillingMode> billingMode;
    std::optional<std::int64_t> readCapacity;
    std::optional<std::int64_t> writeCapacity;
    std::optional<TableClass> tableClass;
    std::vector<GlobalSecondaryIndexUpdate> globalSecondaryIndexUpdates;
    std::optional<StreamSpecification> streamSpecification;
};

struct ListTablesResult {
    std::vector<std::string> tableNames;
    std::optional<std::string> lastEvaluatedTableName;
};

} // namespace capsim

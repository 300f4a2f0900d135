#include "workloads/spec.h"

#include <array>
#include <utility>

namespace capsim {

namespace {

constexpr std::array<std::pair<OperationType, const char*>, 10> kOperationNames { {
    { OperationType::GetItem, "GetItem" },
    { OperationType::PutItem, "PutItem" },
    { OperationType::UpdateItem, "UpdateItem" },
    { OperationType::DeleteItem, "DeleteItem" },
    { OperationType::Query, "Query" },
    { OperationType::Scan, "Scan" },
    { OperationType::BatchGetItem, "BatchGetItem" },
    { OperationType::BatchWriteItem, "BatchWriteItem" },
    { OperationType::TransactGetItems, "TransactGetItems" },
    { OperationType::TransactWriteItems, "TransactWriteItems" },
} };

} // namespace

const char* operationName(OperationType type)
{
    for (const auto& [t, name] : kOperationNames)
        if (t == type)
            return name;
    return "?";
}

bool parseOperationName(std::string_view name, OperationType& out)
{
    for (const auto& [t, text] : kOperationNames) {
        if (name == text) {
            out = t;
            return true;
        }
    }
    return false;
}

bool isReadOperation(OperationType type)
{
    switch (type) {
    case OperationType::GetItem:
    case OperationType::Query:
    case OperationType::Scan:
    case OperationType::BatchGetItem:
    case OperationType::TransactGetItems: return true;
    case OperationType::PutItem:
    case OperationType::UpdateItem:
    case OperationType::DeleteItem:
    case OperationType::BatchWriteItem:
    case OperationType::TransactWriteItems: return false;
    }
    return false;
}

} // namespace capsim

#pragma once
// Status and Result<T>: errors as values, named with DynamoDB's error types.
// A Status is cheap to copy; an ok Status carries no strings. Thread-agnostic.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace capsim {

// DynamoDB error type names used across the engine (the wire "__type" suffix).
namespace error {
inline constexpr const char* kValidation = "ValidationException";
inline constexpr const char* kResourceNotFound = "ResourceNotFoundException";
inline constexpr const char* kResourceInUse = "ResourceInUseException";
inline constexpr const char* kConditionalCheckFailed = "ConditionalCheckFailedException";
inline constexpr const char* kProvisionedThroughputExceeded = "ProvisionedThroughputExceededException";
inline constexpr const char* kThrottling = "ThrottlingException";
inline constexpr const char* kLimitExceeded = "LimitExceededException";
inline constexpr const char* kItemCollectionSizeLimitExceeded = "ItemCollectionSizeLimitExceededException";
inline constexpr const char* kSerialization = "SerializationException";
inline constexpr const char* kUnknownOperation = "UnknownOperationException";
inline constexpr const char* kAccessDenied = "AccessDeniedException";
inline constexpr const char* kInternalServerError = "InternalServerError";
inline constexpr const char* kTransactionCanceled = "TransactionCanceledException";
inline constexpr const char* kIdempotentParameterMismatch = "IdempotentParameterMismatchException";
} // namespace error

class [[nodiscard]] Status {
public:
    Status() = default;
    Status(std::string type, std::string message)
        : m_type(std::move(type))
        , m_message(std::move(message))
    {
    }

    static Status ok() { return {}; }
    static Status validation(std::string message) { return { error::kValidation, std::move(message) }; }
    static Status notFound(std::string message) { return { error::kResourceNotFound, std::move(message) }; }
    static Status internal(std::string message) { return { error::kInternalServerError, std::move(message) }; }

    bool isOk() const { return m_type.empty(); }
    explicit operator bool() const { return isOk(); }
    const std::string& type() const { return m_type; }
    const std::string& message() const { return m_message; }
    bool is(const char* type) const { return m_type == type; }
    std::string toString() const { return isOk() ? std::string("OK") : m_type + ": " + m_message; }

private:
    std::string m_type;
    std::string m_message;
};

// Result<T> holds either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    Result(Status status)
        : m_status(std::move(status))
    {
        assert(!m_status.isOk());
    }

    bool isOk() const { return m_value.has_value(); }
    explicit operator bool() const { return isOk(); }
    const Status& status() const { return m_status; }
    T& value() & { return *m_value; }
    const T& value() const& { return *m_value; }
    T&& value() && { return std::move(*m_value); }
    T* operator->() { return &*m_value; }
    const T* operator->() const { return &*m_value; }
    T& operator*() & { return *m_value; }
    const T& operator*() const& { return *m_value; }

private:
    std::optional<T> m_value;
    Status m_status;
};

} // namespace capsim

#define CAPSIM_RETURN_IF_ERROR(expr)                                                                 \
    do {                                                                                             \
        ::capsim::Status capsim_status_ = (expr);                                                    \
        if (!capsim_status_.isOk())                                                                  \
            return capsim_status_;                                                                   \
    } while (false)

#pragma once
// Parsed forms of the expression language, shared by the parsers and the evaluators.
// Immutable once parsed; safe to read from any thread.

#include "engine/expression/expression.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace capsim::expr {

// An operand: a document path, an ExpressionAttributeValue, or a function of operands.
struct Operand {
    enum class Kind {
        Path,
        Value,
        Size, // args[0]
        IfNotExists, // args[0] is a Path, args[1] the fallback
        ListAppend, // args[0], args[1]
        Plus, // args[0] + args[1]
        Minus, // args[0] - args[1]
        Invalid, // stands in for a misused function; the parse reports an error
    };
    Kind kind = Kind::Invalid;
    Path path;
    AttributeValue value;
    std::vector<Operand> args;
    bool parenthesized = false;
    bool defined = true; // false for an undefined :value (reported separately)
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };

struct ConditionNode {
    enum class Kind {
        And,
        Or,
        Not,
        Compare,
        Between, // operands[0] BETWEEN operands[1] AND operands[2]
        In, // operands[0] IN (operands[1..])
        AttributeExists,
        AttributeNotExists,
        AttributeType,
        BeginsWith,
        Contains,
    };
    Kind kind = Kind::And;
    CompareOp op = CompareOp::Eq;
    std::vector<std::shared_ptr<const ConditionNode>> children; // And, Or: two; Not: one
    std::vector<Operand> operands;
    AttrType attributeType = AttrType::S; // AttributeType's wanted type
};

struct UpdateAction {
    enum class Kind { Set, Remove, Add, Delete };
    Kind kind = Kind::Set;
    Path path;
    Operand value; // Set: the new value; Add, Delete: the :value
};

struct UpdateNode {
    std::vector<UpdateAction> actions; // in expression order
};

// Orders two scalars of the same type as DynamoDB does: N numerically, S and B by unsigned
// bytes. Empty when the types differ or are not S, N or B.
std::optional<int> compareScalars(const AttributeValue& a, const AttributeValue& b);

// "[a, b, [1]]", the form DynamoDB's messages use for a document path.
std::string pathForMessage(const Path& path);
// "AttributeValue: {N:5}", the form DynamoDB's messages use for a value.
std::string describeValue(const AttributeValue& value);
// "STRING", "NUMBER", ... as the ADD and DELETE messages name types.
const char* longTypeName(AttrType type);

// The first pair of paths that overlap (one is a prefix of, or equal to, the other) or, failing
// that, conflict (one indexes where the other names a map key), as DynamoDB words the error.
std::optional<std::string> findPathClash(const std::vector<Path>& paths);

// Follows a path for writing; nullptr when a step is missing or of the wrong type.
AttributeValue* resolveMutablePath(Item& item, const Path& path, std::size_t elementCount);

} // namespace capsim::expr

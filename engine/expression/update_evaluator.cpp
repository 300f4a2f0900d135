#include "engine/expression/ast.h"

#include <algorithm>

namespace capsim::expr {

namespace {

Status missingAttribute()
{
    return Status::validation("The provided expression refers to an attribute that does not exist in the item");
}

Status incorrectType()
{
    return Status::validation("An operand in the update expression has an incorrect data type");
}

Status invalidPath()
{
    return Status::validation("The document path provided in the update expression is invalid for update");
}

// Values are computed from the item as it was before the update (the developer guide,
// "Update expressions": every action sees the original item).
Result<AttributeValue> evaluateOperand(const Operand& operand, const Item& item)
{
    switch (operand.kind) {
    case Operand::Kind::Path: {
        const AttributeValue* value = resolvePath(item, operand.path);
        if (value == nullptr)
            return missingAttribute();
        return *value;
    }
    case Operand::Kind::Value: return operand.value;
    case Operand::Kind::IfNotExists: {
        if (const AttributeValue* value = resolvePath(item, operand.args[0].path))
            return *value;
        return evaluateOperand(operand.args[1], item);
    }
    case Operand::Kind::ListAppend: {
        auto first = evaluateOperand(operand.args[0], item);
        if (!first)
            return first;
        auto second = evaluateOperand(operand.args[1], item);
        if (!second)
            return second;
        if (!first->is(AttrType::L) || !second->is(AttrType::L))
            return incorrectType();
        AttributeList joined = first->asList();
        joined.insert(joined.end(), second->asList().begin(), second->asList().end());
        return AttributeValue::list(std::move(joined));
    }
    case Operand::Kind::Plus:
    case Operand::Kind::Minus: {
        auto left = evaluateOperand(operand.args[0], item);
        if (!left)
            return left;
        auto right = evaluateOperand(operand.args[1], item);
        if (!right)
            return right;
        if (!left->is(AttrType::N) || !right->is(AttrType::N))
            return incorrectType();
        auto result = operand.kind == Operand::Kind::Plus ? Number::add(left->asNumber(), right->asNumber())
                                                          : Number::subtract(left->asNumber(), right->asNumber());
        if (!result)
            return result.status();
        return AttributeValue::number(std::move(*result));
    }
    default: return incorrectType();
    }
}

// The container holding a path's last element, checked to be of the type that element needs.
Result<AttributeValue*> parentOf(Item& item, const Path& path)
{
    AttributeValue* parent = resolveMutablePath(item, path, path.elements.size() - 1);
    if (parent == nullptr)
        return invalidPath();
    const bool wantsList = path.elements.back().isIndex;
    if (wantsList ? !parent->is(AttrType::L) : !parent->is(AttrType::M))
        return invalidPath();
    return parent;
}

Status setPath(Item& item, const Path& path, AttributeValue value)
{
    if (path.elements.size() == 1) {
        item[path.elements.front().name] = std::move(value);
        return Status::ok();
    }
    auto parent = parentOf(item, path);
    if (!parent)
        return parent.status();
    const PathElement& last = path.elements.back();
    if (last.isIndex) {
        AttributeList& list = (*parent)->mutableList();
        // Past the end appends (the developer guide, "Adding elements to a list").
        if (last.index >= list.size())
            list.push_back(std::move(value));
        else
            list[last.index] = std::move(value);
    } else {
        (*parent)->mutableMap()[last.name] = std::move(value);
    }
    return Status::ok();
}

Status removePath(Item& item, const Path& path)
{
    if (path.elements.size() == 1) {
        item.erase(path.elements.front().name);
        return Status::ok();
    }
    auto parent = parentOf(item, path);
    if (!parent)
        return parent.status();
    const PathElement& last = path.elements.back();
    if (last.isIndex) {
        AttributeList& list = (*parent)->mutableList();
        if (last.index < list.size())
            list.erase(list.begin() + static_cast<std::ptrdiff_t>(last.index));
    } else {
        (*parent)->mutableMap().erase(last.name);
    }
    return Status::ok();
}

Result<AttributeValue> addValues(const AttributeValue& existing, const AttributeValue& added)
{
    if (existing.type() != added.type())
        return incorrectType();
    switch (existing.type()) {
    case AttrType::N: {
        auto sum = Number::add(existing.asNumber(), added.asNumber());
        if (!sum)
            return sum.status();
        return AttributeValue::number(std::move(*sum));
    }
    case AttrType::SS:
    case AttrType::BS: {
        std::vector<std::string> all = existing.byteSet();
        all.insert(all.end(), added.byteSet().begin(), added.byteSet().end());
        return existing.is(AttrType::SS) ? AttributeValue::stringSet(std::move(all))
                                         : AttributeValue::binarySet(std::move(all));
    }
    case AttrType::NS: {
        std::vector<Number> all = existing.numberSetValues();
        all.insert(all.end(), added.numberSetValues().begin(), added.numberSetValues().end());
        return AttributeValue::numberSet(std::move(all));
    }
    default: return incorrectType();
    }
}

// Returns the set without the removed elements, or a NULL value when nothing is left.
Result<std::optional<AttributeValue>> deleteValues(const AttributeValue& existing, const AttributeValue& removed)
{
    if (existing.type() != removed.type() || !existing.isSet())
        return incorrectType();
    if (existing.is(AttrType::NS)) {
        std::vector<Number> kept;
        for (const auto& n : existing.numberSetValues()) {
            if (!std::binary_search(removed.numberSetValues().begin(), removed.numberSetValues().end(), n))
                kept.push_back(n);
        }
        if (kept.empty())
            return std::optional<AttributeValue>();
        return std::optional<AttributeValue>(AttributeValue::numberSet(std::move(kept)));
    }
    std::vector<std::string> kept;
    for (const auto& bytes : existing.byteSet()) {
        if (!std::binary_search(removed.byteSet().begin(), removed.byteSet().end(), bytes))
            kept.push_back(bytes);
    }
    if (kept.empty())
        return std::optional<AttributeValue>();
    return std::optional<AttributeValue>(existing.is(AttrType::SS) ? AttributeValue::stringSet(std::move(kept))
                                                                   : AttributeValue::binarySet(std::move(kept)));
}

bool pathDescending(const Path& a, const Path& b)
{
    const std::size_t common = std::min(a.elements.size(), b.elements.size());
    for (std::size_t i = 0; i < common; ++i) {
        const auto& x = a.elements[i];
        const auto& y = b.elements[i];
        if (x == y)
            continue;
        if (x.isIndex && y.isIndex)
            return x.index > y.index;
        return x.name > y.name;
    }
    return a.elements.size() > b.elements.size();
}

} // namespace

bool Update::onlyRemoves() const
{
    return root && !root->actions.empty()
        && std::all_of(root->actions.begin(), root->actions.end(),
            [](const UpdateAction& a) { return a.kind == UpdateAction::Kind::Remove; });
}

Status Update::apply(Item& item, bool itemExists) const
{
    if (!root)
        return Status::ok();
    const Item original = item;
    std::vector<std::pair<const UpdateAction*, AttributeValue>> sets;
    for (const auto& action : root->actions) {
        if (action.kind != UpdateAction::Kind::Set)
            continue;
        auto value = evaluateOperand(action.value, original);
        if (!value)
            return value.status();
        sets.emplace_back(&action, std::move(*value));
    }
    // Elements set in one list are written in index order, so several past the end append in
    // index order whatever the order of the actions (the developer guide, "Adding elements
    // to a list"): within each group of actions on the same list, sort by index in place.
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const Path& path = sets[i].first->path;
        if (!path.elements.back().isIndex)
            continue;
        std::vector<std::size_t> group { i };
        for (std::size_t j = i + 1; j < sets.size(); ++j) {
            const Path& other = sets[j].first->path;
            if (other.elements.back().isIndex && other.elements.size() == path.elements.size()
                && std::equal(path.elements.begin(), path.elements.end() - 1, other.elements.begin()))
                group.push_back(j);
        }
        if (group.size() < 2)
            continue;
        std::vector<std::pair<const UpdateAction*, AttributeValue>> members;
        for (std::size_t k : group)
            members.push_back(std::move(sets[k]));
        std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
            return a.first->path.elements.back().index < b.first->path.elements.back().index;
        });
        for (std::size_t k = 0; k < group.size(); ++k)
            sets[group[k]] = std::move(members[k]);
    }
    for (auto& [action, value] : sets)
        CAPSIM_RETURN_IF_ERROR(setPath(item, action->path, std::move(value)));

    // Indexes name elements of the original list, so later elements go first.
    std::vector<const Path*> removals;
    for (const auto& action : root->actions) {
        if (action.kind == UpdateAction::Kind::Remove)
            removals.push_back(&action.path);
    }
    std::stable_sort(
        removals.begin(), removals.end(), [](const Path* a, const Path* b) { return pathDescending(*a, *b); });
    // REMOVE on a missing item removes nothing, even through a path whose parent is missing:
    // DynamoDB ignores it rather than refusing it.
    if (itemExists && !original.empty()) {
        for (const Path* path : removals)
            CAPSIM_RETURN_IF_ERROR(removePath(item, *path));
    }

    for (const auto& action : root->actions) {
        if (action.kind == UpdateAction::Kind::Add) {
            const AttributeValue* existing = resolvePath(item, action.path);
            if (existing == nullptr) {
                CAPSIM_RETURN_IF_ERROR(setPath(item, action.path, action.value.value));
                continue;
            }
            auto sum = addValues(*existing, action.value.value);
            if (!sum)
                return sum.status();
            CAPSIM_RETURN_IF_ERROR(setPath(item, action.path, std::move(*sum)));
        } else if (action.kind == UpdateAction::Kind::Delete) {
            const AttributeValue* existing = resolvePath(item, action.path);
            if (existing == nullptr) {
                if (action.path.elements.size() > 1) {
                    auto parent = parentOf(item, action.path);
                    if (!parent)
                        return parent.status();
                }
                continue;
            }
            auto rest = deleteValues(*existing, action.value.value);
            if (!rest)
                return rest.status();
            if (*rest)
                CAPSIM_RETURN_IF_ERROR(setPath(item, action.path, std::move(**rest)));
            else
                CAPSIM_RETURN_IF_ERROR(removePath(item, action.path));
        }
    }
    return Status::ok();
}

} // namespace capsim::expr

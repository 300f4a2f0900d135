#include "engine/expression/ast.h"

namespace capsim::expr {

std::string Path::toString() const
{
    std::string out;
    for (const auto& element : elements) {
        if (element.isIndex) {
            out += '[' + std::to_string(element.index) + ']';
        } else {
            if (!out.empty())
                out += '.';
            out += element.name;
        }
    }
    return out;
}

std::string pathForMessage(const Path& path)
{
    std::string out = "[";
    for (std::size_t i = 0; i < path.elements.size(); ++i) {
        if (i > 0)
            out += ", ";
        const auto& element = path.elements[i];
        out += element.isIndex ? '[' + std::to_string(element.index) + ']' : element.name;
    }
    return out + ']';
}

const AttributeValue* resolvePath(const Item& item, const Path& path)
{
    if (path.elements.empty() || path.elements.front().isIndex)
        return nullptr;
    auto top = item.find(path.elements.front().name);
    if (top == item.end())
        return nullptr;
    const AttributeValue* current = &top->second;
    for (std::size_t i = 1; i < path.elements.size(); ++i) {
        const auto& element = path.elements[i];
        if (element.isIndex) {
            if (!current->is(AttrType::L) || element.index >= current->asList().size())
                return nullptr;
            current = &current->asList()[element.index];
        } else {
            if (!current->is(AttrType::M))
                return nullptr;
            auto it = current->asMap().find(element.name);
            if (it == current->asMap().end())
                return nullptr;
            current = &it->second;
        }
    }
    return current;
}

AttributeValue* resolveMutablePath(Item& item, const Path& path, std::size_t elementCount)
{
    if (elementCount == 0 || path.elements.empty() || path.elements.front().isIndex)
        return nullptr;
    auto top = item.find(path.elements.front().name);
    if (top == item.end())
        return nullptr;
    AttributeValue* current = &top->second;
    for (std::size_t i = 1; i < elementCount && i < path.elements.size(); ++i) {
        const auto& element = path.elements[i];
        if (element.isIndex) {
            if (!current->is(AttrType::L) || element.index >= current->asList().size())
                return nullptr;
            current = &current->mutableList()[element.index];
        } else {
            if (!current->is(AttrType::M))
                return nullptr;
            auto it = current->mutableMap().find(element.name);
            if (it == current->mutableMap().end())
                return nullptr;
            current = &it->second;
        }
    }
    return current;
}

std::optional<std::string> findPathClash(const std::vector<Path>& paths)
{
    std::optional<std::string> conflict;
    for (std::size_t j = 1; j < paths.size(); ++j) {
        for (std::size_t i = 0; i < j; ++i) {
            const auto& one = paths[i].elements;
            const auto& two = paths[j].elements;
            const std::size_t common = std::min(one.size(), two.size());
            bool diverged = false;
            bool conflicting = false;
            for (std::size_t k = 0; k < common; ++k) {
                if (one[k].isIndex != two[k].isIndex) {
                    conflicting = true;
                    break;
                }
                if (!(one[k] == two[k])) {
                    diverged = true;
                    break;
                }
            }
            const std::string pair
                = "path one: " + pathForMessage(paths[i]) + ", path two: " + pathForMessage(paths[j]);
            if (conflicting) {
                if (!conflict)
                    conflict = "Two document paths conflict with each other; must remove or rewrite one of these "
                               "paths; "
                        + pair;
            } else if (!diverged) {
                return "Two document paths overlap with each other; must remove or rewrite one of these paths; " + pair;
            }
        }
    }
    return conflict;
}

} // namespace capsim::expr

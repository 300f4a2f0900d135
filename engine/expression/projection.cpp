#include "engine/expression/expression_parser.h"

#include <algorithm>

namespace capsim::expr {

namespace {

// The projected paths merged into a tree; a leaf takes the whole value below it.
struct ProjectionTree {
    bool leaf = false;
    std::map<std::string, ProjectionTree> keys;
    std::map<std::size_t, ProjectionTree> indexes;
};

void addPath(ProjectionTree& tree, const Path& path, std::size_t from)
{
    if (from == path.elements.size()) {
        tree.leaf = true;
        return;
    }
    const auto& element = path.elements[from];
    ProjectionTree& child = element.isIndex ? tree.indexes[element.index] : tree.keys[element.name];
    addPath(child, path, from + 1);
}

std::optional<AttributeValue> project(const AttributeValue& value, const ProjectionTree& tree)
{
    if (tree.leaf)
        return value;
    if (!tree.keys.empty() && value.is(AttrType::M)) {
        AttributeMap out;
        for (const auto& [key, child] : tree.keys) {
            auto it = value.asMap().find(key);
            if (it == value.asMap().end())
                continue;
            if (auto projected = project(it->second, child))
                out.emplace(key, std::move(*projected));
        }
        if (!out.empty())
            return AttributeValue::map(std::move(out));
    }
    if (!tree.indexes.empty() && value.is(AttrType::L)) {
        AttributeList out;
        for (const auto& [index, child] : tree.indexes) {
            if (index >= value.asList().size())
                continue;
            if (auto projected = project(value.asList()[index], child))
                out.push_back(std::move(*projected));
        }
        if (!out.empty())
            return AttributeValue::list(std::move(out));
    }
    return std::nullopt;
}

} // namespace

Result<std::vector<Path>> ExpressionParser::parseProjectionExpression()
{
    CAPSIM_RETURN_IF_ERROR(beginExpression());
    std::vector<Path> paths;
    while (true) {
        auto path = parsePath();
        if (!path)
            return path.status();
        paths.push_back(std::move(*path));
        if (atPunct(",")) {
            advance();
            continue;
        }
        if (!atEnd())
            return syntaxError();
        break;
    }
    if (auto clash = findPathClash(paths))
        defer(Check::PathClash, *clash);
    CAPSIM_RETURN_IF_ERROR(firstDeferred());
    return paths;
}

Result<Projection> parseProjection(std::string_view text, ExpressionAttributes& attributes)
{
    ExpressionParser parser(text, attributes, "ProjectionExpression");
    auto paths = parser.parseProjectionExpression();
    if (!paths)
        return paths.status();
    Projection projection;
    projection.paths = std::move(*paths);
    return projection;
}

Item Projection::apply(const Item& item) const
{
    ProjectionTree tree;
    for (const auto& path : paths)
        addPath(tree, path, 0);
    Item out;
    for (const auto& [name, child] : tree.keys) {
        auto it = item.find(name);
        if (it == item.end())
            continue;
        if (auto projected = project(it->second, child))
            out.emplace(name, std::move(*projected));
    }
    return out;
}

} // namespace capsim::expr

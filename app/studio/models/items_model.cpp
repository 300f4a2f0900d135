#include "app/studio/models/items_model.h"

#include "engine/json_codec.h"

#include <boost/json/serialize.hpp>

#include <set>

namespace capsim::studio {

Status ItemsModel::setSource(Engine* engine, const std::string& tableName)
{
    if (!engine) {
        detach();
        return Status();
    }
    m_engine = engine;
    m_table = tableName;
    m_pageStarts = { std::nullopt };
    m_lastKey.reset();
    m_pageIndex = 0;
    if (const TableState* state = engine->table(tableName))
        m_key = state->key;
    return fetch(0);
}

void ItemsModel::detach()
{
    m_engine = nullptr;
    m_table.clear();
    m_pageStarts = { std::nullopt };
    m_lastKey.reset();
    m_pageIndex = 0;
    show({});
}

void ItemsModel::setItems(std::vector<Item> items, const KeySchema& key)
{
    m_engine = nullptr;
    m_key = key;
    m_pageStarts.clear();
    m_lastKey.reset();
    m_pageIndex = 0;
    show(std::move(items));
}

Status ItemsModel::nextPage()
{
    if (!hasNextPage())
        return Status();
    return fetch(m_pageIndex + 1);
}

Status ItemsModel::previousPage()
{
    if (!hasPreviousPage())
        return Status();
    return fetch(m_pageIndex - 1);
}

Status ItemsModel::fetch(int pageIndex)
{
    if (!m_engine)
        return Status();
    const auto index = static_cast<std::size_t>(pageIndex);
    if (index == m_pageStarts.size())
        m_pageStarts.push_back(m_lastKey);
    ScanRequest request;
    request.tableName = m_table;
    request.limit = kPageSize;
    request.exclusiveStartKey = m_pageStarts[index];
    ReadPageResponse response = m_engine->scan(request);
    if (!response.status) {
        show({});
        return response.status;
    }
    m_pageIndex = pageIndex;
    m_lastKey = response.lastEvaluatedKey;
    // Pages after this one may start elsewhere now; they are fetched again when reached.
    m_pageStarts.resize(index + 1);
    show(std::move(response.items));
    return Status();
}

void ItemsModel::show(std::vector<Item> items)
{
    beginResetModel();
    m_items = std::move(items);
    m_columns.clear();
    m_columns.push_back(m_key.partition.name);
    if (m_key.sort)
        m_columns.push_back(m_key.sort->name);
    std::set<std::string> others;
    for (const auto& item : m_items)
        for (const auto& [name, value] : item)
            if (name != m_key.partition.name && (!m_key.sort || name != m_key.sort->name))
                others.insert(name);
    m_columns.insert(m_columns.end(), others.begin(), others.end());
    if (m_columns.front().empty())
        m_columns.erase(m_columns.begin());
    endResetModel();
    emit pageChanged();
}

QString ItemsModel::valueText(const AttributeValue& value)
{
    switch (value.type()) {
    case AttrType::S: return QString::fromStdString(value.bytes());
    case AttrType::N: return QString::fromStdString(value.asNumber().toString());
    case AttrType::B: return QString::fromStdString(base64Encode(value.bytes()));
    case AttrType::BOOL: return value.asBool() ? QStringLiteral("true") : QStringLiteral("false");
    case AttrType::NUL: return QStringLiteral("null");
    default: return QString::fromStdString(boost::json::serialize(attributeValueToJson(value)));
    }
}

int ItemsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

int ItemsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant ItemsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const auto& item = m_items[static_cast<std::size_t>(index.row())];
    const auto it = item.find(m_columns[static_cast<std::size_t>(index.column())]);
    if (it == item.end())
        return {};
    QString text = valueText(it->second);
    if (role == Qt::DisplayRole && text.size() > 120)
        text = text.left(117) + QStringLiteral("...");
    return text;
}

QVariant ItemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1 + m_pageIndex * static_cast<int>(kPageSize);
    return section >= 0 && section < columnCount()
        ? QString::fromStdString(m_columns[static_cast<std::size_t>(section)])
        : QVariant();
}

} // namespace capsim::studio

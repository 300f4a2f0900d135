#pragma once
// ItemsModel: items of an engine table, a page at a time. In paging mode it fetches pages with Scan
// and ExclusiveStartKey (kPageSize items a page, next / previous); it can also just show a list of
// items (a Query's result). Columns are the key attributes, then every other attribute name on the
// page. It does not own the Engine, which must outlive it or be detached with detach().
// GUI thread only.

#include "engine/engine.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <optional>
#include <vector>

namespace capsim::studio {

class ItemsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr std::int64_t kPageSize = 100;

    using QAbstractTableModel::QAbstractTableModel;

    // Pages through `tableName` of `engine` (nullptr clears) and shows its first page. Returns the
    // Scan's status (ResourceNotFoundException for an unknown table).
    Status setSource(Engine* engine, const std::string& tableName);
    // Forgets the engine and shows nothing (calls no engine, so it cannot fail).
    void detach();
    // Shows fixed items (no paging), keyed by `key`.
    void setItems(std::vector<Item> items, const KeySchema& key);

    Status nextPage();
    Status previousPage();
    bool hasNextPage() const { return m_lastKey.has_value(); }
    bool hasPreviousPage() const { return m_pageIndex > 0; }
    int pageIndex() const { return m_pageIndex; }
    const std::vector<Item>& items() const { return m_items; }

    // A value as text: S and N as they are, B in base64, sets and documents as DynamoDB JSON.
    static QString valueText(const AttributeValue& value);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void pageChanged();

private:
    Status fetch(int pageIndex);
    void show(std::vector<Item> items);

    Engine* m_engine = nullptr;
    std::string m_table;
    KeySchema m_key;
    // ExclusiveStartKey of each page fetched so far (the first page has none).
    std::vector<std::optional<Item>> m_pageStarts;
    std::optional<Item> m_lastKey;
    int m_pageIndex = 0;
    std::vector<Item> m_items;
    std::vector<std::string> m_columns;
};

} // namespace capsim::studio

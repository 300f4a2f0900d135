#pragma once
// The records of export and import data files (reference A9), shared by the DynamoDB JSON, Ion
// and CSV codecs: a full-export or import line holds one Item; an incremental-export line holds
// one item's change in the export window. Value types, thread-agnostic.

#include "engine/attribute_value.h"

#include <cstdint>
#include <optional>
#include <string>

namespace capsim::exchange {

// One incremental-export line: the item's key, its image at ExportToTime (absent if deleted) and
// at ExportFromTime (absent if new, or under NEW_IMAGE), and its last write in the window.
struct ChangeRecord {
    std::int64_t writeTimestampMicros = 0;
    Item keys;
    std::optional<Item> newImage;
    std::optional<Item> oldImage;
};

// One line of a data file.
struct DataRecord {
    enum class Kind { Item, Change };
    Kind kind = Kind::Item;
    Item item; // Kind::Item
    ChangeRecord change; // Kind::Change
};

// How a line failed, as ImportTable counts it (reference A9, Part C 10.2): an invalid item is
// skipped and counted, an unparseable line ends the processing of its file.
enum class LineErrorKind { None, InvalidItem, Unparseable };

// The outcome of reading one line (CSV record, Ion top-level value) of a data file.
struct DataLine {
    std::int64_t lineNumber = 0; // 1-based line where the record starts
    DataRecord record; // valid when error == None
    LineErrorKind error = LineErrorKind::None;
    std::string message; // "line 3: Item.price: ..." when error != None

    bool ok() const { return error == LineErrorKind::None; }
};

} // namespace capsim::exchange

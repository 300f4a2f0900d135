#pragma once
// DynamoDB JSON data-file lines (reference A9): `{"Item":{...}}` for full exports and imports,
// `{"Metadata":{"WriteTimestampMicros":{"N":"..."}},"Keys":{...},"NewImage":{...},"OldImage":{...}}`
// for incremental exports. Written compact, names in ascending UTF-8 byte order at every level,
// N normalized, B padded base64. Pure functions and a reader over a borrowed text.

#include "engine/exchange/data_file_reader.h"

#include <string>
#include <string_view>

namespace capsim::exchange {

// Appends `bytes` as a JSON string literal escaping only `"`, `\` and C0 controls (\n \r \t \b \f,
// others \u00XX with uppercase hex), as A9 states; other bytes (UTF-8) are copied as they are.
void appendJsonString(std::string& out, std::string_view bytes);
// Appends {"name":{"S":"..."},...} for an item (or a Keys / image map).
void appendItemJson(std::string& out, const Item& item);
void appendAttributeValueJson(std::string& out, const AttributeValue& value);

// One line without its newline.
std::string itemLineJson(const Item& item);
std::string changeLineJson(const ChangeRecord& change);

// Parses one line (without its newline; a trailing \r is ignored). A JSON syntax error is
// Unparseable; a line that is JSON but not a valid record (no Item, a malformed AttributeValue) is
// InvalidItem. Messages name the line and the field: "line 3: ... (at Item.price)".
DataLine parseJsonDataLine(std::string_view line, std::int64_t lineNumber);

// Reads a DYNAMODB_JSON file line by line; blank lines are skipped; a leading UTF-8 BOM is ignored.
class JsonLinesReader final : public DataFileReader {
public:
    explicit JsonLinesReader(std::string_view text);
    bool next(DataLine& out) override;

private:
    std::string_view m_text;
    std::size_t m_position = 0;
    std::int64_t m_lineNumber = 0;
    bool m_stopped = false;
};

} // namespace capsim::exchange

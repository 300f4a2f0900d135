#pragma once
// CSV for ImportTable (reference A9, Part C 10.2): RFC 4180 records (quoted fields, doubled quotes,
// CRLF or LF, newlines inside quotes), a header from the first line unless a HeaderList is given,
// table and index key columns typed by AttributeDefinitions (N must parse, B is base64), every
// other column a String, an empty non-key cell omitted. Readers over a borrowed text.

#include "engine/exchange/data_file_reader.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capsim::exchange {

// Splits a text into RFC 4180 records. Completely empty lines are skipped. A quote inside an
// unquoted field is kept as a character; text after a closing quote, or a quote left open at the
// end of the text, is a syntax error that ends the reading.
class CsvRecordReader {
public:
    explicit CsvRecordReader(std::string_view text, char delimiter = ',');

    enum class Outcome { Record, End, Error };
    // On Record fills `fields` and `lineNumber` (the 1-based line where the record starts); on
    // Error fills `error` ("line 7: ...") and `lineNumber`.
    Outcome next(std::vector<std::string>& fields, std::int64_t& lineNumber, std::string& error);

private:
    std::string_view m_text;
    char m_delimiter;
    std::size_t m_position = 0;
    std::int64_t m_line = 1;
    bool m_stopped = false;
};

struct CsvImportOptions {
    char delimiter = ',';
    // InputFormatOptions' HeaderList: when set, the first line is data.
    std::optional<std::vector<std::string>> headerList;
    // Table and secondary-index key attributes with their AttributeDefinitions type (S, N or B).
    std::map<std::string, AttrType> keyTypes;
};

// Reads a CSV import file into Item records. A row whose column count differs from the header's,
// or whose N key does not parse or B key is not base64, is InvalidItem; a CSV syntax error or a
// bad header (an empty or repeated column name) is Unparseable.
class CsvItemReader final : public DataFileReader {
public:
    CsvItemReader(std::string_view text, CsvImportOptions options);
    bool next(DataLine& out) override;

private:
    CsvRecordReader m_records;
    CsvImportOptions m_options;
    std::vector<std::string> m_header;
    bool m_haveHeader = false;
    bool m_headerChecked = false;
    bool m_stopped = false;
};

} // namespace capsim::exchange

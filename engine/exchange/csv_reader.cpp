#include "engine/exchange/csv_reader.h"

#include "engine/exchange/utf8.h"
#include "engine/json_codec.h"

#include <set>

namespace capsim::exchange {

CsvRecordReader::CsvRecordReader(std::string_view text, char delimiter)
    : m_text(text)
    , m_delimiter(delimiter)
{
    if (m_text.starts_with("\xEF\xBB\xBF"))
        m_position = 3;
}

CsvRecordReader::Outcome CsvRecordReader::next(
    std::vector<std::string>& fields, std::int64_t& lineNumber, std::string& error)
{
    fields.clear();
    if (m_stopped)
        return Outcome::End;
    // Skip completely empty lines.
    for (;;) {
        if (m_position < m_text.size() && m_text[m_position] == '\n') {
            ++m_position;
            ++m_line;
        } else if (m_text.substr(m_position).starts_with("\r\n")) {
            m_position += 2;
            ++m_line;
        } else {
            break;
        }
    }
    if (m_position >= m_text.size())
        return Outcome::End;

    lineNumber = m_line;
    std::string field;
    for (;;) {
        // At the start of a field.
        if (m_position < m_text.size() && m_text[m_position] == '"') {
            const std::int64_t quoteLine = m_line;
            ++m_position;
            bool closed = false;
            while (m_position < m_text.size()) {
                const char c = m_text[m_position++];
                if (c == '"') {
                    if (m_position < m_text.size() && m_text[m_position] == '"') {
                        field.push_back('"');
                        ++m_position;
                    } else {
                        closed = true;
                        break;
                    }
                } else {
                    if (c == '\n')
                        ++m_line;
                    field.push_back(c);
                }
            }
            if (!closed) {
                m_stopped = true;
                lineNumber = quoteLine;
                error = "line " + std::to_string(quoteLine) + ": column " + std::to_string(fields.size() + 1)
                    + ": a quoted field is not closed";
                return Outcome::Error;
            }
            const bool atBoundary = m_position >= m_text.size() || m_text[m_position] == m_delimiter
                || m_text[m_position] == '\n' || m_text.substr(m_position).starts_with("\r\n");
            if (!atBoundary) {
                m_stopped = true;
                error = "line " + std::to_string(m_line) + ": column " + std::to_string(fields.size() + 1)
                    + ": text after the closing quote of a quoted field";
                return Outcome::Error;
            }
        } else {
            while (m_position < m_text.size()) {
                const char c = m_text[m_position];
                if (c == m_delimiter || c == '\n' || m_text.substr(m_position).starts_with("\r\n"))
                    break;
                field.push_back(c);
                ++m_position;
            }
        }
        if (!isValidUtf8(field)) {
            m_stopped = true;
            error = "line " + std::to_string(lineNumber) + ": column " + std::to_string(fields.size() + 1)
                + ": the text is not valid UTF-8";
            return Outcome::Error;
        }
        fields.push_back(std::move(field));
        field.clear();
        if (m_position >= m_text.size())
            return Outcome::Record;
        if (m_text[m_position] == m_delimiter) {
            ++m_position;
            continue;
        }
        m_position += m_text[m_position] == '\r' ? 2u : 1u;
        ++m_line;
        return Outcome::Record;
    }
}

CsvItemReader::CsvItemReader(std::string_view text, CsvImportOptions options)
    : m_records(text, options.delimiter)
    , m_options(std::move(options))
{
    if (m_options.headerList) {
        m_header = *m_options.headerList;
        m_haveHeader = true;
    }
}

bool CsvItemReader::next(DataLine& out)
{
    std::vector<std::string> fields;
    std::int64_t lineNumber = 0;
    std::string error;
    auto unparseable = [&](std::string message) {
        m_stopped = true;
        out = DataLine {};
        out.lineNumber = lineNumber;
        out.error = LineErrorKind::Unparseable;
        out.message = std::move(message);
        return true;
    };
    while (!m_stopped) {
        const auto outcome = m_records.next(fields, lineNumber, error);
        if (outcome == CsvRecordReader::Outcome::End)
            return false;
        if (outcome == CsvRecordReader::Outcome::Error)
            return unparseable(error);
        const bool isHeader = !m_haveHeader;
        if (isHeader) {
            m_header = std::move(fields);
            m_haveHeader = true;
        }
        // A header (read or given) with an empty or repeated name cannot name attributes.
        std::set<std::string_view> names;
        for (std::size_t i = 0; !m_headerChecked && i < m_header.size(); ++i) {
            const std::string where = "line " + std::to_string(lineNumber) + ": header column " + std::to_string(i + 1);
            if (m_header[i].empty())
                return unparseable(where + " has no name");
            if (!names.insert(m_header[i]).second)
                return unparseable(where + ": column name " + m_header[i] + " is repeated");
        }
        m_headerChecked = true;
        if (isHeader)
            continue;

        out = DataLine {};
        out.lineNumber = lineNumber;
        const std::string prefix = "line " + std::to_string(lineNumber) + ": ";
        if (fields.size() != m_header.size()) {
            out.error = LineErrorKind::InvalidItem;
            out.message = prefix + std::to_string(fields.size()) + " columns, but the header has "
                + std::to_string(m_header.size());
            return true;
        }
        Item& item = out.record.item;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const std::string& name = m_header[i];
            std::string& cell = fields[i];
            const auto key = m_options.keyTypes.find(name);
            if (key == m_options.keyTypes.end()) {
                // Only key columns are typed; an empty non-key cell is no attribute (A9, UNCONFIRMED).
                if (!cell.empty())
                    item.emplace(name, AttributeValue::string(std::move(cell)));
                continue;
            }
            if (key->second == AttrType::N) {
                auto number = Number::parse(cell);
                if (!number) {
                    out.error = LineErrorKind::InvalidItem;
                    out.message = prefix + "column " + name + ": " + number.status().message();
                    return true;
                }
                item.emplace(name, AttributeValue::number(std::move(number).value()));
            } else if (key->second == AttrType::B) {
                std::string bytes;
                if (!base64Decode(cell, bytes)) {
                    out.error = LineErrorKind::InvalidItem;
                    out.message = prefix + "column " + name + ": Base64 encoded binary data has an invalid format";
                    return true;
                }
                item.emplace(name, AttributeValue::binary(std::move(bytes)));
            } else {
                item.emplace(name, AttributeValue::string(std::move(cell)));
            }
        }
        return true;
    }
    return false;
}

} // namespace capsim::exchange

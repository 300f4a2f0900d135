#pragma once
// DataFileWriter: builds one export data file (one partition's lines, reference A9) in DYNAMODB_JSON
// or ION, each line ended by '\n', and gives its gzip object and manifest-files.json entry.
// Value type; not thread-safe.

#include "engine/exchange/data_record.h"
#include "engine/exchange/export_manifest.h"

#include <cstdint>
#include <string>

namespace capsim::exchange {

class DataFileWriter {
public:
    explicit DataFileWriter(ExportFormat format)
        : m_format(format)
    {
    }

    // Items in ascending key order (the caller's order is kept).
    void addItem(const Item& item);
    void addChange(const ChangeRecord& change);

    std::int64_t itemCount() const { return m_itemCount; }
    // The uncompressed lines so far.
    const std::string& text() const { return m_text; }
    // The gzip object (A9's gzip; an empty partition gives the gzip of no bytes).
    std::string gzipObject() const;

private:
    ExportFormat m_format;
    std::string m_text;
    std::int64_t m_itemCount = 0;
};

} // namespace capsim::exchange

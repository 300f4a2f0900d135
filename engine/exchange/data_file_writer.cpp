#include "engine/exchange/data_file_writer.h"

#include "engine/exchange/compression.h"
#include "engine/exchange/dynamodb_json_lines.h"
#include "engine/exchange/ion_text.h"

namespace capsim::exchange {

void DataFileWriter::addItem(const Item& item)
{
    m_text += m_format == ExportFormat::Ion ? itemLineIon(item) : itemLineJson(item);
    m_text.push_back('\n');
    ++m_itemCount;
}

void DataFileWriter::addChange(const ChangeRecord& change)
{
    m_text += m_format == ExportFormat::Ion ? changeLineIon(change) : changeLineJson(change);
    m_text.push_back('\n');
    ++m_itemCount;
}

std::string DataFileWriter::gzipObject() const
{
    return gzipCompress(m_text);
}

} // namespace capsim::exchange

#pragma once
// Amazon Ion text for export and import data files (reference A9). Debian 12 packages no Ion
// library (checked: libion*, ion-c, amazon-ion; only PyPI has amazon-ion), so capsim has its own
// codec for the subset DynamoDB uses. Writer: `$ion_1_0 {Item:{...}}` lines, compact, names in
// ascending UTF-8 byte order. Reader: Ion 1.0 text (whitespace, comments, annotations, quoted and
// bare symbols, short and long strings, ints, decimals, blobs, lists, structs...) mapped to items
// as DynamoDB's import maps them. Pure functions and a reader over a borrowed text.

#include "engine/exchange/data_file_reader.h"

#include <string>
#include <string_view>

namespace capsim::exchange {

// "..." escaping `"` `\` \n \r \t, other C0 controls as \xHH (lowercase hex); UTF-8 as is.
void appendIonString(std::string& out, std::string_view bytes);
// A field name: bare if [A-Za-z_$][A-Za-z0-9_$]* and not null, true, false, nan or $<digits>;
// otherwise single-quoted with the same escapes (and \').
void appendIonSymbol(std::string& out, std::string_view name);
// N as an Ion decimal c x 10^e (c without trailing zeros): e = 0 "c.", e > 0 "cde" (600 -> 6d2),
// e < 0 point form (0.005), zero "0.".
std::string ionDecimal(const Number& number);
void appendIonValue(std::string& out, const AttributeValue& value);
void appendIonStruct(std::string& out, const Item& item);

// One line without its newline: `$ion_1_0 {Item:{...}}` and
// `$ion_1_0 {Metadata:{WriteTimestampMicros:<int>},Keys:{...},NewImage:{...},OldImage:{...}}`.
std::string itemLineIon(const Item& item);
std::string changeLineIon(const ChangeRecord& change);

// Reads the top-level values of an Ion text file. Version markers ($ion_1_0) and local symbol
// tables are skipped; each other top-level value is one record, numbered by the line it starts
// on. A syntax error is Unparseable (and ends the file); a value that does not map to an item
// (no Item field, an Ion float, timestamp, symbol, clob or sexp value, an empty or duplicated
// set, a number outside DynamoDB's range) is InvalidItem. Ion mapping (Part C 10.2): string->S,
// bool->BOOL, decimal and int->N, blob->B, $dynamodb_SS/NS/BS::[...]->sets, list->L, struct->M,
// null->NULL.
class IonTextReader final : public DataFileReader {
public:
    explicit IonTextReader(std::string_view text);
    bool next(DataLine& out) override;

private:
    std::string_view m_text;
    std::size_t m_position = 0;
    std::size_t m_linePosition = 0; // m_line counts the newlines before m_linePosition
    std::int64_t m_line = 1;
    bool m_stopped = false;

    friend class IonParser;
};

} // namespace capsim::exchange

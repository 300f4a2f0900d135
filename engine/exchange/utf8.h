#pragma once
// UTF-8 validity (RFC 3629: no overlongs, no surrogates, at most U+10FFFF), for text read from
// import files: DynamoDB strings are UTF-8. Pure function.

#include <string_view>

namespace capsim::exchange {

inline bool isValidUtf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length;
        unsigned min;
        unsigned codePoint;
        if ((c & 0xE0) == 0xC0) {
            length = 2;
            min = 0x80;
            codePoint = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            min = 0x800;
            codePoint = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            min = 0x10000;
            codePoint = c & 0x07u;
        } else {
            return false;
        }
        if (i + length > text.size())
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto continuation = static_cast<unsigned char>(text[i + k]);
            if ((continuation & 0xC0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (continuation & 0x3Fu);
        }
        if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

} // namespace capsim::exchange

#pragma once
// Compression of export and import data files (reference A9, Part C 10.2): gzip through zlib and
// zstd through libzstd. Whole-buffer functions (one file in memory at a time). Thread-agnostic.

#include "engine/status.h"

#include <string>
#include <string_view>

namespace capsim::exchange {

// ImportTable's InputCompressionType.
enum class Compression { None, Gzip, Zstd };

// gzip exactly as A9 writes export data files: deflate at zlib level 6, header mtime 0, no file
// name, OS byte 255 (so the header is 1f 8b 08 00 00 00 00 00 00 ff).
std::string gzipCompress(std::string_view data);
// Decompresses every gzip member of `data`. Fails (ValidationException) on data that is not gzip,
// is truncated, or fails its CRC.
Result<std::string> gzipDecompress(std::string_view data);

std::string zstdCompress(std::string_view data, int level = 3);
// Decompresses every zstd frame of `data`, with or without a content size in the frame header.
Result<std::string> zstdDecompress(std::string_view data);

// None returns the bytes unchanged.
Result<std::string> decompress(std::string_view data, Compression compression);

} // namespace capsim::exchange

#include "engine/exchange/compression.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <memory>

namespace capsim::exchange {

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kMaxPieceBytes = std::size_t(1) << 30;

Status compressionError(const char* format, const std::string& what)
{
    return Status::validation(std::string("The object is not valid ") + format + ": " + what);
}

} // namespace

std::string gzipCompress(std::string_view data)
{
    z_stream stream {};
    // windowBits 15 + 16: a gzip wrapper; memLevel 8 and the default strategy are zlib's defaults.
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    gz_header header {};
    header.time = 0;
    header.os = 255; // "unknown", as A9's data files carry
    deflateSetHeader(&stream, &header);

    // Input is fed in pieces that fit zlib's 32-bit counters; without flush points in between,
    // the output is the same as from one call.
    std::string out;
    std::array<char, kChunkBytes> buffer;
    std::size_t fed = 0;
    int result = Z_OK;
    while (result != Z_STREAM_END) {
        if (stream.avail_in == 0 && fed < data.size()) {
            const std::size_t piece = std::min<std::size_t>(data.size() - fed, kMaxPieceBytes);
            stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
            stream.avail_in = static_cast<uInt>(piece);
            fed += piece;
        }
        stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
        stream.avail_out = static_cast<uInt>(buffer.size());
        result = deflate(&stream, fed == data.size() ? Z_FINISH : Z_NO_FLUSH);
        if (result != Z_OK && result != Z_STREAM_END && result != Z_BUF_ERROR) {
            deflateEnd(&stream);
            return {};
        }
        out.append(buffer.data(), buffer.size() - stream.avail_out);
    }
    deflateEnd(&stream);
    return out;
}

Result<std::string> gzipDecompress(std::string_view data)
{
    std::string out;
    std::size_t offset = 0;
    std::array<char, kChunkBytes> buffer;
    do {
        z_stream stream {};
        if (inflateInit2(&stream, 15 + 16) != Z_OK)
            return Status::internal("zlib inflateInit2 failed");
        std::size_t fed = offset;
        int result = Z_OK;
        while (result != Z_STREAM_END) {
            if (stream.avail_in == 0 && fed < data.size()) {
                const std::size_t piece = std::min<std::size_t>(data.size() - fed, kMaxPieceBytes);
                stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
                stream.avail_in = static_cast<uInt>(piece);
                fed += piece;
            }
            stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
            stream.avail_out = static_cast<uInt>(buffer.size());
            result = inflate(&stream, Z_NO_FLUSH);
            if (result != Z_OK && result != Z_STREAM_END) {
                std::string what
                    = stream.msg ? stream.msg : (result == Z_BUF_ERROR ? "truncated data" : "inflate failed");
                inflateEnd(&stream);
                return compressionError("gzip", what);
            }
            out.append(buffer.data(), buffer.size() - stream.avail_out);
            if (result == Z_OK && stream.avail_in == 0 && fed == data.size() && stream.avail_out != 0) {
                inflateEnd(&stream);
                return compressionError("gzip", "truncated data");
            }
        }
        offset = fed - stream.avail_in;
        inflateEnd(&stream);
        // Concatenated members form one gzip file (RFC 1952 2.2).
    } while (offset < data.size());
    return out;
}

std::string zstdCompress(std::string_view data, int level)
{
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t size = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
    if (ZSTD_isError(size))
        return {};
    out.resize(size);
    return out;
}

Result<std::string> zstdDecompress(std::string_view data)
{
    std::unique_ptr<ZSTD_DStream, decltype(&ZSTD_freeDStream)> stream(ZSTD_createDStream(), &ZSTD_freeDStream);
    if (!stream)
        return Status::internal("ZSTD_createDStream failed");
    std::string out;
    std::array<char, kChunkBytes> buffer;
    ZSTD_inBuffer input { data.data(), data.size(), 0 };
    std::size_t lastHint = 0;
    while (input.pos < input.size) {
        ZSTD_outBuffer output { buffer.data(), buffer.size(), 0 };
        lastHint = ZSTD_decompressStream(stream.get(), &output, &input);
        if (ZSTD_isError(lastHint))
            return compressionError("zstd", ZSTD_getErrorName(lastHint));
        out.append(buffer.data(), output.pos);
    }
    // Flush what the decoder still holds for the last frame.
    while (lastHint != 0) {
        ZSTD_outBuffer output { buffer.data(), buffer.size(), 0 };
        lastHint = ZSTD_decompressStream(stream.get(), &output, &input);
        if (ZSTD_isError(lastHint))
            return compressionError("zstd", ZSTD_getErrorName(lastHint));
        out.append(buffer.data(), output.pos);
        if (output.pos == 0 && lastHint != 0)
            return compressionError("zstd", "truncated data");
    }
    if (data.empty())
        return compressionError("zstd", "empty object");
    return out;
}

Result<std::string> decompress(std::string_view data, Compression compression)
{
    switch (compression) {
    case Compression::None: return std::string(data);
    case Compression::Gzip: return gzipDecompress(data);
    case Compression::Zstd: return zstdDecompress(data);
    }
    return Status::internal("unknown compression");
}

} // namespace capsim::exchange

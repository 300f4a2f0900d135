#include "engine/exchange/digests.h"

#include "engine/json_codec.h"

#include <openssl/evp.h>

namespace capsim::exchange {

namespace {

std::string digest(std::string_view data, const EVP_MD* algorithm)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out, &size, algorithm, nullptr) != 1)
        return {};
    return std::string(reinterpret_cast<const char*>(out), size);
}

} // namespace

std::string md5Digest(std::string_view data)
{
    return digest(data, EVP_md5());
}

std::string sha256Digest(std::string_view data)
{
    return digest(data, EVP_sha256());
}

std::string hexLower(std::string_view bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0xF]);
    }
    return out;
}

std::string base32LowerUnpadded(std::string_view bytes)
{
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (const char c : bytes) {
        buffer = (buffer << 8) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.push_back(kAlphabet[(buffer >> bits) & 31]);
        }
        buffer &= (1u << bits) - 1;
    }
    if (bits > 0)
        out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

std::string md5Hex(std::string_view data)
{
    return hexLower(md5Digest(data));
}

std::string md5Base64(std::string_view data)
{
    return base64Encode(md5Digest(data));
}

std::string s3SinglePartEtag(std::string_view objectBytes)
{
    return md5Hex(md5Digest(objectBytes)) + "-1";
}

std::string exportDataFileName(std::string_view exportArn, std::uint64_t partitionOrdinal)
{
    std::string input(exportArn);
    for (int shift = 56; shift >= 0; shift -= 8)
        input.push_back(static_cast<char>((partitionOrdinal >> shift) & 0xFF));
    return base32LowerUnpadded(sha256Digest(input).substr(0, 16));
}

} // namespace capsim::exchange

#pragma once
// Digests and encodings of export files (reference A9): MD5 through OpenSSL, the S3 ETag of a
// one-part upload, SHA-256, lowercase unpadded base32, and the data file name rule. Pure functions.

#include <cstdint>
#include <string>
#include <string_view>

namespace capsim::exchange {

// Raw digests (16 and 32 bytes).
std::string md5Digest(std::string_view data);
std::string sha256Digest(std::string_view data);

std::string hexLower(std::string_view bytes);
// RFC 4648 base32 in lowercase without '=' padding.
std::string base32LowerUnpadded(std::string_view bytes);

// Lowercase hex MD5 of the bytes (the .checksum files' content, A9 UNCONFIRMED).
std::string md5Hex(std::string_view data);
// Padded base64 MD5 (manifest-files.json's md5Checksum).
std::string md5Base64(std::string_view data);
// Hex MD5 of the raw MD5, then "-1": the ETag of a one-part multipart upload (manifest's etag).
std::string s3SinglePartEtag(std::string_view objectBytes);

// A data file's name without extension: unpadded lowercase base32 of the first 16 bytes of
// SHA-256(exportArn || partitionOrdinal as 8-byte big-endian), ordinal 0-based in key order (26 chars).
std::string exportDataFileName(std::string_view exportArn, std::uint64_t partitionOrdinal);

} // namespace capsim::exchange

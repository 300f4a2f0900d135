#pragma once
// S3Folder: the folder that stands for Amazon S3 (cli.md `call --s3-root`): bucket B is the
// folder ROOT/B and object key K the file ROOT/B/K. Exports write their objects here and
// imports read them. A write goes to a temporary name beside the object and is renamed into
// place, so a reader never sees half an object; listings skip those temporary files. Keys with
// "." or ".." components, or absolute ones, are refused (they would leave the bucket's folder).
// Value type over the file system; thread-agnostic.

#include "engine/status.h"

#include <string>
#include <string_view>
#include <vector>

namespace capsim {

// S3Bucket of ExportTableToPointInTime and ImportTable: 1-255 characters, letters and digits
// at both ends, letters, digits, '.', '-' and '_' between (DynamoDB's pattern).
bool validS3BucketName(std::string_view bucket);

class S3Folder {
public:
    // `root` empty: no S3 at all (every bucket is missing).
    explicit S3Folder(std::string root)
        : m_root(std::move(root))
    {
    }

    // Whether ROOT/<bucket> is a folder.
    bool bucketExists(std::string_view bucket) const;
    // The keys of the bucket's objects starting with `prefix` (raw, not a folder), in ascending
    // byte order. InternalServerError when the folder cannot be read.
    Result<std::vector<std::string>> listObjects(std::string_view bucket, std::string_view prefix) const;
    Result<std::string> readObject(std::string_view bucket, std::string_view key) const;
    // Creates the object's folders and writes the object atomically (temporary file, rename).
    // ValidationException for a key that would leave the bucket's folder.
    Status writeObject(std::string_view bucket, std::string_view key, std::string_view bytes) const;

    // Whether `key` can be stored under a bucket folder (no empty, "." or ".." component, not absolute).
    static bool safeKey(std::string_view key);

private:
    std::string m_root;
};

} // namespace capsim

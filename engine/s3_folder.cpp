#include "engine/s3_folder.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <unistd.h>

namespace capsim {

namespace fs = std::filesystem;

namespace {

// Temporary files of writes in flight (or left by a crash) start with this; listings skip them.
constexpr std::string_view kTemporaryPrefix = ".capsim-tmp-";

bool isAlphanumeric(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

} // namespace

bool validS3BucketName(std::string_view bucket)
{
    if (bucket.size() < 2 || bucket.size() > 255)
        return false;
    if (!isAlphanumeric(bucket.front()) || !isAlphanumeric(bucket.back()))
        return false;
    return std::all_of(bucket.begin(), bucket.end(),
        [](char c) { return isAlphanumeric(c) || c == '.' || c == '-' || c == '_'; });
}

bool S3Folder::safeKey(std::string_view key)
{
    if (key.empty() || key.front() == '/')
        return false;
    std::size_t start = 0;
    while (start <= key.size()) {
        const std::size_t end = std::min(key.find('/', start), key.size());
        const std::string_view component = key.substr(start, end - start);
        if (component.empty() || component == "." || component == "..")
            return false;
        start = end + 1;
    }
    return true;
}

bool S3Folder::bucketExists(std::string_view bucket) const
{
    if (m_root.empty() || !validS3BucketName(bucket))
        return false;
    std::error_code ec;
    return fs::is_directory(fs::path(m_root) / std::string(bucket), ec);
}

Result<std::vector<std::string>> S3Folder::listObjects(std::string_view bucket, std::string_view prefix) const
{
    const fs::path folder = fs::path(m_root) / std::string(bucket);
    std::vector<std::string> keys;
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec))
            continue;
        if (it->path().filename().string().starts_with(kTemporaryPrefix))
            continue;
        std::string key = it->path().lexically_relative(folder).generic_string();
        if (key.starts_with(prefix))
            keys.push_back(std::move(key));
    }
    if (ec)
        return Status::internal("cannot list the S3 folder " + folder.string() + ": " + ec.message());
    // S3 lists keys in ascending UTF-8 byte order.
    std::sort(keys.begin(), keys.end());
    return keys;
}

Result<std::string> S3Folder::readObject(std::string_view bucket, std::string_view key) const
{
    if (!safeKey(key))
        return Status::validation("the S3 key '" + std::string(key) + "' cannot be read from the S3 folder");
    const fs::path file = fs::path(m_root) / std::string(bucket) / std::string(key);
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return Status::internal("cannot read the S3 object " + file.string());
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad())
        return Status::internal("cannot read the S3 object " + file.string());
    return std::move(bytes).str();
}

Status S3Folder::writeObject(std::string_view bucket, std::string_view key, std::string_view bytes) const
{
    if (m_root.empty() || !validS3BucketName(bucket) || !safeKey(key))
        return Status::validation("the S3 key '" + std::string(key) + "' cannot be stored in the S3 folder");
    const fs::path file = fs::path(m_root) / std::string(bucket) / std::string(key);
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec)
        return Status::internal("cannot create the S3 folder " + file.parent_path().string() + ": " + ec.message());
    // A name no other writer uses: the process id and a counter.
    static std::atomic<unsigned> sequence { 0 };
    const fs::path temporary = file.parent_path()
        / (std::string(kTemporaryPrefix) + std::to_string(::getpid()) + "-" + std::to_string(sequence++));
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            fs::remove(temporary, ec);
            return Status::internal("cannot write the S3 object " + file.string());
        }
    }
    fs::rename(temporary, file, ec);
    if (ec) {
        std::error_code ignored; // the rename's error is the one to report
        fs::remove(temporary, ignored);
        return Status::internal("cannot write the S3 object " + file.string() + ": " + ec.message());
    }
    return Status::ok();
}

} // namespace capsim

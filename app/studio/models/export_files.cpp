#include "app/studio/models/export_files.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <zlib.h>

#include <algorithm>

namespace capsim::studio {

namespace {

// The data files manifest-files.json (JSON Lines, "dataFileS3Key" per line) names, resolved
// against the bucket folder: the key's part from "AWSDynamoDB/" on is relative to the folder
// holding AWSDynamoDB (the export's prefix).
QStringList manifestDataFiles(const QDir& exportDir)
{
    QStringList files;
    QFile manifest(exportDir.filePath(QStringLiteral("manifest-files.json")));
    if (!manifest.open(QIODevice::ReadOnly))
        return files;
    QDir prefixDir = exportDir;
    if (!prefixDir.cdUp() || !prefixDir.cdUp())
        return files;
    for (const QByteArray& line : manifest.readAll().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QString key = QJsonDocument::fromJson(line).object().value(QStringLiteral("dataFileS3Key")).toString();
        const qsizetype at = key.lastIndexOf(QStringLiteral("AWSDynamoDB/"));
        if (at < 0)
            continue;
        const QString path = prefixDir.filePath(key.mid(at));
        if (QFileInfo::exists(path))
            files << QFileInfo(path).absoluteFilePath();
    }
    return files;
}

// Inflates gzip data; false on a corrupt stream.
bool gunzip(const QByteArray& in, QByteArray& out)
{
    z_stream stream {};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
        return false;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.constData()));
    stream.avail_in = static_cast<uInt>(in.size());
    char buffer[65536];
    int result = Z_OK;
    while (result != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        result = inflate(&stream, Z_NO_FLUSH);
        if (result != Z_OK && result != Z_STREAM_END) {
            inflateEnd(&stream);
            return false;
        }
        out.append(buffer, static_cast<qsizetype>(sizeof buffer - stream.avail_out));
        // Concatenated gzip members (allowed by RFC 1952): go on with the next one.
        if (result == Z_STREAM_END && stream.avail_in > 0) {
            if (inflateReset(&stream) != Z_OK) {
                inflateEnd(&stream);
                return false;
            }
            result = Z_OK;
        }
        if (result == Z_OK && stream.avail_in == 0 && stream.avail_out != 0)
            break; // truncated input: keep what was inflated
    }
    inflateEnd(&stream);
    return true;
}

} // namespace

std::vector<ExportFolder> findExports(const QString& s3Root)
{
    std::vector<ExportFolder> exports;
    if (s3Root.isEmpty() || !QFileInfo(s3Root).isDir())
        return exports;
    const QDir root(s3Root);
    QDirIterator it(s3Root, { QStringLiteral("manifest-summary.json") }, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo summary(it.next());
        const QDir exportDir = summary.absoluteDir();
        QDir parent = exportDir;
        if (!parent.cdUp() || parent.dirName() != QStringLiteral("AWSDynamoDB"))
            continue;
        ExportFolder e;
        e.exportId = exportDir.dirName();
        e.path = exportDir.absolutePath();
        e.relativePath = root.relativeFilePath(e.path);
        QStringList own;
        QStringList data;
        QDirIterator files(e.path, QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString f = QFileInfo(files.next()).absoluteFilePath();
            (QFileInfo(f).absolutePath() == e.path ? own : data) << f;
        }
        for (const QString& f : manifestDataFiles(exportDir))
            if (!data.contains(f))
                data << f;
        own.sort();
        data.sort();
        e.files = own + data;
        exports.push_back(std::move(e));
    }
    std::sort(exports.begin(), exports.end(),
        [](const ExportFolder& a, const ExportFolder& b) { return a.relativePath < b.relativePath; });
    return exports;
}

bool readExportFileLines(const QString& path, int maxLines, QStringList& lines, bool& truncated, QString& error)
{
    lines.clear();
    truncated = false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    QByteArray bytes = file.readAll();
    if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b) {
        QByteArray inflated;
        if (!gunzip(bytes, inflated)) {
            error = QStringLiteral("%1 is not a valid gzip file").arg(path);
            return false;
        }
        bytes = std::move(inflated);
    }
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    if (bytes.isEmpty())
        return true;
    for (const QByteArray& line : bytes.split('\n')) {
        if (lines.size() >= maxLines) {
            truncated = true;
            break;
        }
        lines << QString::fromUtf8(line);
    }
    return true;
}

} // namespace capsim::studio

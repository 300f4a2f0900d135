#pragma once
// The files of DynamoDB exports in the folder that stands for Amazon S3 (cli.md `--s3-root`): an
// export is a folder `<bucket>/<prefix>/AWSDynamoDB/<ExportId>/` holding manifest-summary.json,
// manifest-files.json and its data files (`data/*.json.gz`, `.ion.gz`; an incremental export's
// data files are in the shared `AWSDynamoDB/data/` folder, named by manifest-files.json). Reads
// the file system only; any thread.

#include <QString>
#include <QStringList>

#include <vector>

namespace capsim::studio {

struct ExportFolder {
    QString exportId; // the folder's name
    QString path; // absolute path of AWSDynamoDB/<ExportId>
    QString relativePath; // from the S3 root: "<bucket>/<prefix>/AWSDynamoDB/<ExportId>"
    // The export's files, absolute paths: the manifests and markers in its folder, then its data
    // files (those under its folder, and those manifest-files.json names elsewhere), sorted.
    QStringList files;
};

// Every export folder under `s3Root` (any depth), sorted by relative path. Empty when the
// folder does not exist or holds no export.
std::vector<ExportFolder> findExports(const QString& s3Root);

// The text of a file, gunzipped when it is gzip (by its magic bytes), split into lines; at most
// `maxLines` lines (then `truncated` is set). False with `error` set when it cannot be read or
// decompressed.
bool readExportFileLines(const QString& path, int maxLines, QStringList& lines, bool& truncated, QString& error);

} // namespace capsim::studio

#pragma once
// Running the built `capsim` binary as a user does, for the command-line tests: its exit code,
// whether it crashed, and what it printed; and small file helpers for the folders they use.

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QMap>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>

namespace capsim::test {

struct CliRun {
    int exitCode = -1;
    bool crashed = false;
    QString out;
    QString err;
};

struct CliOptions {
    QByteArray input;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString workingDirectory;
    int timeoutMs = 120000;
};

inline CliRun runProgram(const QString& program, const QStringList& args, const CliOptions& options = {})
{
    QProcess p;
    p.setProcessEnvironment(options.environment);
    if (!options.workingDirectory.isEmpty())
        p.setWorkingDirectory(options.workingDirectory);
    p.start(program, args);
    p.write(options.input);
    p.closeWriteChannel();
    p.waitForFinished(options.timeoutMs);
    return { p.exitCode(), p.exitStatus() == QProcess::CrashExit, QString::fromUtf8(p.readAllStandardOutput()),
        QString::fromUtf8(p.readAllStandardError()) };
}

inline QString capsimBinary() { return QStringLiteral(CAPSIM_BINARY_DIR "/capsim"); }

inline CliRun runCapsim(const QStringList& args, const CliOptions& options = {})
{
    return runProgram(capsimBinary(), args, options);
}

inline CliRun runCapsim(const QStringList& args, const QByteArray& input)
{
    CliOptions options;
    options.input = input;
    return runCapsim(args, options);
}

// Writes bytes to path, creating its folder; the test fails if it cannot.
inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(f.write(bytes), bytes.size());
}

// The file's bytes, or empty if it cannot be read.
inline QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every file under dir (path relative to dir -> bytes), hidden ones included: to check that a
// command left a folder exactly as it was.
inline QMap<QString, QByteArray> folderSnapshot(const QString& dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.insert(QDir(dir).relativeFilePath(path), readFile(path));
    }
    return files;
}

} // namespace capsim::test

#pragma once
// `capsim serve --port 0` as a child process, for the server and studio tests: the port comes
// from its "listening on" line; what it printed before serving is kept. Stopped (SIGTERM) when
// destroyed if still running.

#include "tests/support/cli_process.h"

#include <QByteArray>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace capsim::test {

struct ServeProcess {
    QProcess process;
    std::uint16_t port = 0;
    QString firstLines; // what it printed before serving

    // `noAuth`: without SigV4 verification (the default mode verifies against the built-in key).
    bool start(const QStringList& args = {}, bool noAuth = true)
    {
        process.setProgram(capsimBinary());
        process.setArguments(
            QStringList { "serve", "--port", "0" } + (noAuth ? QStringList { "--no-auth" } : QStringList {}) + args);
        process.start();
        if (!process.waitForStarted(10000))
            return false;
        QByteArray out;
        while (!out.contains('\n')) {
            if (!process.waitForReadyRead(20000))
                return false;
            out += process.readAllStandardOutput();
        }
        firstLines = QString::fromUtf8(out);
        static const QRegularExpression listening("^capsim serve: listening on http://127\\.0\\.0\\.1:(\\d+)$");
        const auto match = listening.match(firstLines.section('\n', 0, 0));
        port = match.hasMatch() ? static_cast<std::uint16_t>(match.captured(1).toUInt()) : 0;
        return port != 0;
    }

    ~ServeProcess()
    {
        if (process.state() != QProcess::NotRunning) {
            process.terminate();
            process.waitForFinished(10000);
        }
    }
};

} // namespace capsim::test

// capsim-studio: the desktop application (contracts/cli.md).
//   capsim-studio [SCENARIO.json|RESULTS.sqlite] [--run SCENARIO.json --screenshot DIR]
//   capsim-studio --attach URL [--screenshot DIR [--seconds N]]

#include "app/studio/main_window.h"
#include "app/studio/pages/live_page.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>
#include <QUrl>

#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("capsim-studio"));
    QApplication::setOrganizationName(QStringLiteral("capsim"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("capsim studio: DynamoDB capacity and cost what-if analysis"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A scenario (.json) or results database (.sqlite) to open."), QStringLiteral("[file]"));
    QCommandLineOption runOption(QStringLiteral("run"), QStringLiteral("Run SCENARIO (with --screenshot)."), QStringLiteral("SCENARIO"));
    QCommandLineOption screenshotOption(QStringLiteral("screenshot"), QStringLiteral("Save a PNG of each main view into DIR and exit."), QStringLiteral("DIR"));
    QCommandLineOption attachOption(QStringLiteral("attach"),
        QStringLiteral("Attach to a running capsim serve at URL (http://HOST:PORT) and show its live capacity."),
        QStringLiteral("URL"));
    QCommandLineOption secondsOption(QStringLiteral("seconds"),
        QStringLiteral("With --attach and --screenshot: watch the server N seconds, then save DIR/live.png "
                       "(default 5)."),
        QStringLiteral("N"), QStringLiteral("5"));
    parser.addOption(runOption);
    parser.addOption(screenshotOption);
    parser.addOption(attachOption);
    parser.addOption(secondsOption);
    parser.process(app);

    capsim::studio::MainWindow window;
    window.resize(1500, 950);
    if (parser.isSet(runOption) && parser.isSet(attachOption)) {
        std::fputs("capsim-studio: --run and --attach exclude each other\n", stderr);
        return 2;
    }
    if (parser.isSet(screenshotOption) && !parser.isSet(runOption) && !parser.isSet(attachOption)) {
        std::fputs("capsim-studio: --screenshot goes with --run or --attach\n", stderr);
        return 2;
    }
    if (parser.isSet(runOption) && !parser.isSet(screenshotOption)) {
        std::fputs("capsim-studio: --run and --screenshot go together\n", stderr);
        return 2;
    }
    if (parser.isSet(attachOption)) {
        const QUrl server = QUrl::fromUserInput(parser.value(attachOption));
        if (!server.isValid() || server.scheme() != QLatin1String("http")) {
            std::fprintf(stderr, "capsim-studio: --attach '%s' is not an http:// URL (e.g. http://127.0.0.1:8000)\n",
                qPrintable(parser.value(attachOption)));
            return 2;
        }
        bool secondsOk = false;
        const double seconds = parser.value(secondsOption).toDouble(&secondsOk);
        // At least a second: the first poll must have been answered to show anything.
        if (!secondsOk || seconds < 1 || seconds > 86400) {
            std::fprintf(stderr, "capsim-studio: --seconds '%s' is not a number of seconds (1-86400)\n",
                qPrintable(parser.value(secondsOption)));
            return 2;
        }
        window.attachToServer(server);
        window.show();
        if (!parser.isSet(screenshotOption))
            return app.exec();
        qputenv("CAPSIM_STUDIO_QUIET", "1");
        const QString directory = parser.value(screenshotOption);
        capsim::studio::LivePage* live = window.livePage();
        bool everConnected = false;
        QObject::connect(live, &capsim::studio::LivePage::polled, &app, [&](bool ok) {
            everConnected = everConnected || ok;
            if (!everConnected) {
                std::fprintf(stderr, "capsim-studio: cannot reach %s: %s\n", qPrintable(server.toString()),
                    qPrintable(live->lastError()));
                app.exit(1);
            }
        });
        QTimer::singleShot(static_cast<int>(seconds * 1000), &app, [&] {
            if (!everConnected) {
                std::fprintf(stderr, "capsim-studio: no answer from %s\n", qPrintable(server.toString()));
                app.exit(1);
                return;
            }
            QString error;
            QDir().mkpath(directory);
            if (!window.saveLiveScreenshot(QDir(directory).filePath(QStringLiteral("live.png")), &error)) {
                std::fprintf(stderr, "capsim-studio: %s\n", qPrintable(error));
                app.exit(1);
                return;
            }
            app.exit(0);
        });
        return app.exec();
    }
    if (parser.isSet(runOption)) {
        qputenv("CAPSIM_STUDIO_QUIET", "1");
        const QString directory = parser.value(screenshotOption);
        if (!window.openFile(parser.value(runOption), true)) {
            std::fprintf(stderr, "capsim-studio: cannot open %s\n", qPrintable(parser.value(runOption)));
            return 1;
        }
        window.show();
        int status = 1;
        QObject::connect(&window, &capsim::studio::MainWindow::runFinished, &app, [&](bool ok) {
            if (!ok) {
                std::fputs("capsim-studio: the run failed\n", stderr);
                app.exit(1);
                return;
            }
            // Let the pages lay out with the final result before grabbing them.
            QTimer::singleShot(300, &app, [&] {
                QString error;
                QDir().mkpath(directory);
                if (!window.saveScreenshots(directory, &error)) {
                    std::fprintf(stderr, "capsim-studio: %s\n", qPrintable(error));
                    app.exit(1);
                    return;
                }
                status = 0;
                app.exit(0);
            });
        });
        if (!window.runScenario())
            return 1;
        const int code = app.exec();
        return code == 0 ? status : code;
    }
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty())
        window.openFile(files.first());
    window.show();
    return app.exec();
}

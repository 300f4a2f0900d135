// capsim-studio: the desktop application (contracts/cli.md).
//   capsim-studio [SCENARIO.json|RESULTS.sqlite] [--run SCENARIO.json --screenshot DIR]

#include "app/studio/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>

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
    parser.addOption(runOption);
    parser.addOption(screenshotOption);
    parser.process(app);

    capsim::studio::MainWindow window;
    window.resize(1500, 950);
    if (parser.isSet(runOption) != parser.isSet(screenshotOption)) {
        std::fputs("capsim-studio: --run and --screenshot go together\n", stderr);
        return 2;
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

#pragma once
// The Qt application the headless commands need to draw charts (fonts need a QGuiApplication):
// the offscreen platform unless QT_QPA_PLATFORM says otherwise, and a private runtime directory,
// so capsim never needs a display and Qt prints no warnings. One at a time, on the main thread.

#include <QGuiApplication>

#include <memory>

namespace capsim::cli {

class OffscreenGui {
public:
    OffscreenGui();
    ~OffscreenGui();
    OffscreenGui(const OffscreenGui&) = delete;
    OffscreenGui& operator=(const OffscreenGui&) = delete;

private:
    // QGuiApplication keeps references to argc and argv for its lifetime.
    int m_argc = 1;
    char m_name[7] = "capsim";
    char* m_argv[2] = { m_name, nullptr };
    std::unique_ptr<QGuiApplication> m_app;
};

} // namespace capsim::cli

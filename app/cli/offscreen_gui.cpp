#include "app/cli/offscreen_gui.h"

#include <filesystem>
#include <string>
#include <system_error>
#include <unistd.h>

namespace capsim::cli {

OffscreenGui::OffscreenGui()
{
    // Charts are drawn offscreen: capsim never needs a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        // Qt wants a private runtime directory and warns on stderr without one.
        namespace fs = std::filesystem;
        std::error_code ec;
        const fs::path temp = fs::temp_directory_path(ec);
        if (!ec) {
            const fs::path runtime = temp / ("capsim-runtime-" + std::to_string(::getuid()));
            fs::create_directories(runtime, ec);
            fs::permissions(runtime, fs::perms::owner_all, fs::perm_options::replace, ec);
            qputenv("XDG_RUNTIME_DIR", QByteArray::fromStdString(runtime.string()));
        }
    }
    m_app = std::make_unique<QGuiApplication>(m_argc, m_argv);
}

OffscreenGui::~OffscreenGui() = default;

} // namespace capsim::cli

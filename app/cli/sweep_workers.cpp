#include "app/cli/sweep_workers.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>

#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace capsim::cli {

namespace fs = std::filesystem;

namespace {

struct Running {
    std::size_t task = 0;
    int errorsFd = -1;
};

// An unlinked temporary file for a child's stderr: read back when it ends, gone with the descriptor.
int anonymousFile()
{
    std::error_code ec;
    fs::path dir = fs::temp_directory_path(ec);
    if (ec)
        dir = "/tmp";
    std::string pattern = (dir / "capsim-sweep-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd >= 0)
        ::unlink(pattern.c_str());
    return fd;
}

std::string readAll(int fd)
{
    std::string text;
    if (fd < 0 || ::lseek(fd, 0, SEEK_SET) < 0)
        return text;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
        text.append(buffer, static_cast<std::size_t>(n));
    return text;
}

pid_t spawn(const std::string& program, const std::vector<std::string>& args, int errorsFd)
{
    std::vector<std::string> all { program };
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (errorsFd >= 0)
        posix_spawn_file_actions_adddup2(&actions, errorsFd, STDERR_FILENO);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

} // namespace

std::size_t availableCpus()
{
    cpu_set_t set;
    if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return static_cast<std::size_t>(CPU_COUNT(&set));
    const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? static_cast<std::size_t>(n) : 1;
}

std::vector<SweepTaskOutcome> runSweepTasks(const std::vector<SweepTask>& tasks, std::size_t workers,
    const std::atomic<bool>& stop, const std::function<void(std::size_t)>& onFinished)
{
    std::vector<SweepTaskOutcome> outcomes(tasks.size());
    std::error_code ec;
    const std::string self = fs::read_symlink("/proc/self/exe", ec).string();
    std::map<pid_t, Running> running;
    std::size_t next = 0;
    std::size_t finished = 0;
    bool failed = false;
    bool stopping = false;
    while (true) {
        while (!failed && !stopping && !stop.load() && next < tasks.size()
            && running.size() < std::max<std::size_t>(workers, 1)) {
            const int errorsFd = anonymousFile();
            const pid_t pid = spawn(self, tasks[next].args, errorsFd);
            if (pid < 0) {
                outcomes[next] = { true, 1, "cannot start " + self + ": " + std::strerror(errno) + "\n" };
                if (errorsFd >= 0)
                    ::close(errorsFd);
                failed = true;
                break;
            }
            running[pid] = { next, errorsFd };
            ++next;
        }
        if (running.empty())
            break;
        if (stop.load() && !stopping) {
            stopping = true;
            for (const auto& [pid, r] : running)
                ::kill(pid, SIGTERM);
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue; // a signal: the loop sees `stop` and forwards it
            break; // no children left (ECHILD): nothing more to wait for
        }
        auto it = running.find(pid);
        if (it == running.end())
            continue;
        SweepTaskOutcome& outcome = outcomes[it->second.task];
        outcome.ran = true;
        outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        outcome.errors = readAll(it->second.errorsFd);
        if (it->second.errorsFd >= 0)
            ::close(it->second.errorsFd);
        running.erase(it);
        if (outcome.exitCode != 0)
            failed = true;
        ++finished;
        if (onFinished)
            onFinished(finished);
    }
    return outcomes;
}

} // namespace capsim::cli

// A small W3C WebDriver client for the browser tests: starts Debian's
// chromedriver on a free loopback port in a process group of its own, opens
// a headless Chromium session, and speaks the WebDriver HTTP API (navigate,
// find, click, type, run a script, screenshot). The destructor ends the
// session and then the whole process group, so no browser outlives a test,
// failed or not.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace canvasfx::web::testing {

class WebDriverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A port the kernel just handed out on 127.0.0.1 (free, barring a race).
inline int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

inline std::string base64_decode(const std::string& in) {
  std::string out;
  int value = 0, bits = -8;
  for (unsigned char c : in) {
    int d;
    if (c >= 'A' && c <= 'Z')
      d = c - 'A';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      d = c - '0' + 52;
    else if (c == '+')
      d = 62;
    else if (c == '/')
      d = 63;
    else
      continue;
    value = (value << 6) + d;
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

// Should the test program crash (an abort, a segmentation fault) or be
// interrupted, the browser's process group is killed on the way out: no
// Chromium outlives the test. Only async-signal-safe calls in the handler.
inline volatile sig_atomic_t g_browser_group = 0;
inline void end_browser_if_this_process_crashes(pid_t group) {
  g_browser_group = group;
  struct sigaction action {};
  action.sa_handler = [](int signal) {
    if (g_browser_group > 0) ::kill(-g_browser_group, SIGKILL);
    ::signal(signal, SIG_DFL);
    ::raise(signal);
  };
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (int signal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGINT, SIGTERM})
    sigaction(signal, &action, nullptr);
}

class WebDriver {
 public:
  using json = nlohmann::json;

  // `profile`: an empty folder for the browser's profile.
  explicit WebDriver(const std::filesystem::path& profile, int width = 1400, int height = 860) {
    port_ = free_port();
    std::vector<std::string> args{"chromedriver", "--port=" + std::to_string(port_),
                                  "--allowed-ips=127.0.0.1"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);  // a group of its own: the browser joins it
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    int spawned = posix_spawnp(&pid_, "chromedriver", &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0) throw WebDriverError("cannot start chromedriver (Debian: chromium-driver)");
    end_browser_if_this_process_crashes(pid_);
    http_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    http_->set_read_timeout(std::chrono::seconds(60));
    for (int i = 0;; ++i) {
      auto status = http_->Get("/status");
      if (status && status->status == 200) break;
      if (i > 200) throw WebDriverError("chromedriver did not start");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    json chrome_args = {"--headless=new",
                        "--no-sandbox",  // tests may run as root
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        "--disable-extensions",
                        "--hide-scrollbars",
                        "--user-data-dir=" + profile.string(),
                        "--window-size=" + std::to_string(width) + "," + std::to_string(height)};
    json capabilities = {
        {"capabilities",
         {{"alwaysMatch",
           {{"browserName", "chrome"},
            {"goog:chromeOptions", {{"binary", chromium_binary()}, {"args", chrome_args}}}}}}}};
    json session = call("POST", "/session", capabilities);
    session_ = session["sessionId"];
  }

  ~WebDriver() {
    if (!session_.empty()) {
      auto res = http_->Delete("/session/" + session_);
      (void)res;
    }
    if (pid_ > 0) {
      ::kill(-pid_, SIGTERM);  // chromedriver and the browsers it started
      int status = 0;
      for (int i = 0; i < 50 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, &status, WNOHANG);
      g_browser_group = 0;
    }
  }

  static std::string chromium_binary() {
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
      if (std::filesystem::exists(p)) return p;
    return "chromium";
  }

  void navigate(const std::string& url) { call("POST", path("/url"), {{"url", url}}); }

  // Runs `script` (a function body; `arguments` are the args) in the page.
  json execute(const std::string& script, json args = json::array()) {
    return call("POST", path("/execute/sync"), {{"script", script}, {"args", args}});
  }

  // Runs `script` (a function body) that calls its last argument, a callback,
  // with the result; waits for it up to `timeout`.
  json execute_async(const std::string& script, json args = json::array(),
                     std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    call("POST", path("/timeouts"), {{"script", timeout.count()}});
    return call("POST", path("/execute/async"), {{"script", script}, {"args", args}});
  }

  // Polls a boolean expression until it holds; false after `timeout`.
  bool wait_until(const std::string& expression,
                  std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      json v = execute("return !!(" + expression + ");");
      if (v.is_boolean() && v.get<bool>()) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  std::string find(const std::string& css) {
    json e = call("POST", path("/element"), {{"using", "css selector"}, {"value", css}});
    return e.begin().value().get<std::string>();
  }
  void click(const std::string& css) {
    call("POST", path("/element/" + find(css) + "/click"), json::object());
  }
  void clear(const std::string& css) {
    call("POST", path("/element/" + find(css) + "/clear"), json::object());
  }
  void type(const std::string& css, const std::string& text) {
    call("POST", path("/element/" + find(css) + "/value"), {{"text", text}});
  }

  // The browser's open windows and tabs.
  size_t window_count() { return call("GET", path("/window/handles"), nullptr).size(); }
  // Waits until `count` windows are open; false after `timeout`.
  bool wait_for_windows(size_t count,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (window_count() != count) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
  }

  // Writes a PNG of the window to `file`.
  void screenshot(const std::filesystem::path& file) {
    json shot = call("GET", path("/screenshot"), nullptr);
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << base64_decode(shot.get<std::string>());
  }

 private:
  std::string path(const std::string& tail) const { return "/session/" + session_ + tail; }

  json call(const std::string& method, const std::string& where, const json& body) {
    httplib::Result res =
        method == "GET" ? http_->Get(where) : http_->Post(where, body.dump(), "application/json");
    if (!res) throw WebDriverError(method + " " + where + ": no answer from chromedriver");
    json reply = json::parse(res->body, nullptr, false);
    if (res->status != 200 || reply.is_discarded())
      throw WebDriverError(method + " " + where + ": " + res->body.substr(0, 2000));
    return reply["value"];
  }

  int port_ = 0;
  pid_t pid_ = -1;
  std::unique_ptr<httplib::Client> http_;
  std::string session_;
};

}  // namespace canvasfx::web::testing

#include "runner.h"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "canvasfx/stdlib.h"
#include "ratchet.h"
#include "setup_handlers.h"

namespace canvasfx::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kMaxActual = 4000;  // bytes of an actual value kept in a failure

std::string clip(std::string s) {
  if (s.size() > kMaxActual) {
    size_t cut = kMaxActual;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    s.resize(cut);
    s += "…";
  }
  return s;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool in_mutation_folder(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  for (const auto& part : abs.parent_path())
    if (part == "mutation") return true;
  return false;
}

std::string relative_key(const fs::path& file, const fs::path& base) {
  std::error_code ec;
  auto rel = fs::relative(fs::weakly_canonical(file, ec), fs::weakly_canonical(base, ec), ec);
  if (ec || rel.empty()) return file.generic_string();
  return rel.generic_string();
}

LoadedFile load_one(const fs::path& p, std::string display, std::string relative) {
  LoadedFile lf;
  std::string text;
  if (!read_file(p, text)) {
    lf.file.path = std::move(display);
    lf.file.parse_errors.push_back("line 0: cannot read the file");
  } else {
    lf.file = parse_test_file(text, std::move(display));
  }
  lf.file.mutation = in_mutation_folder(p);
  lf.config = configure(parse_setup(lf.file.setup));
  lf.relative = std::move(relative);
  return lf;
}

}  // namespace

std::vector<LoadedFile> load_files(const TestOptions& options, std::string* missing) {
  std::vector<LoadedFile> out;
  for (const auto& arg : options.paths) {
    fs::path p(arg);
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      if (missing) *missing = arg;
      return {};
    }
    if (fs::is_directory(p, ec)) {
      fs::path base = options.suite_root ? fs::path(*options.suite_root) : p;
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(
               p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".txt")
          found.push_back(it->path());
      }
      std::sort(found.begin(), found.end(), [&](const fs::path& a, const fs::path& b) {
        return a.lexically_relative(p).generic_string() < b.lexically_relative(p).generic_string();
      });
      for (const auto& f : found) {
        std::string display = (p / f.lexically_relative(p)).generic_string();
        out.push_back(load_one(f, display, relative_key(f, base)));
      }
    } else {
      fs::path base = options.suite_root ? fs::path(*options.suite_root) : p.parent_path();
      out.push_back(
          load_one(p, p.generic_string(), relative_key(p, base.empty() ? fs::path(".") : base)));
    }
  }
  return out;
}

void apply_overrides(std::vector<LoadedFile>& files) {
  auto find_by_name = [&](const std::string& name) -> LoadedFile* {
    std::string want = lower(fs::path(name).filename().string());
    for (auto& f : files)
      if (lower(fs::path(f.file.path).filename().string()) == want) return &f;
    return nullptr;
  };
  for (auto& f : files) {
    if (f.config.skipped()) continue;
    for (const auto& name : f.file.disables)
      if (LoadedFile* target = find_by_name(name);
          target && target != &f && !target->config.skipped())
        target->config.skip_reason = "disabled by " + f.file.path;
    if (!f.file.override_target) continue;
    LoadedFile* target = find_by_name(*f.file.override_target);
    if (!target || target == &f) continue;
    std::vector<TestCase> own;
    for (auto& c : f.file.cases) {
      auto it = std::find_if(target->file.cases.begin(), target->file.cases.end(),
                             [&](const TestCase& t) { return t.input == c.input; });
      if (it == target->file.cases.end()) {
        own.push_back(std::move(c));
      } else {
        it->expected = c.expected;
        it->override_from = f.file.path + ":" + std::to_string(c.line);
      }
    }
    f.file.cases = std::move(own);
  }
}

namespace {

struct SessionEngine {
  std::unique_ptr<Engine> engine;
  CheckOptions options;
};

SessionEngine make_engine(const LoadedFile& lf) {
  SessionEngine s;
  Features features = lf.config.features;
  if (lf.file.mutation) {
    features.enable_expression_chaining = true;
    s.options.behavior = true;
    s.options.allow_set_declarations = true;
  }
  s.engine = std::make_unique<Engine>(features);
  stdlib::install(*s.engine);
  if (lf.file.mutation) declare_session_symbols(*s.engine);
  for (const auto& t : lf.config.handlers)
    if (const SetupHandler* h = find_setup_handler(t.name))
      h->apply(*s.engine, t.argument, s.options);
  return s;
}

CaseResult run_case(SessionEngine* session, const LoadedFile& lf, const TestCase& c) {
  try {
    SessionEngine fresh;
    if (!session) {
      fresh = make_engine(lf);
      session = &fresh;
    }
    Outcome o = run_formula(*session->engine, c.input, session->options);
    Judgement j = judge(c.expected, o);
    return {j.verdict, clip(std::move(j.actual))};
  } catch (const std::exception& e) {
    return {Verdict::Fail, clip(std::string("exception: ") + e.what())};
  } catch (...) {
    return {Verdict::Fail, "exception: unknown"};
  }
}

bool skip_case(const TestCase& c) { return c.disabled_net || is_skip_expectation(c.expected); }

}  // namespace

void execute_cases(const LoadedFile& lf, size_t first, const std::set<size_t>& poisoned,
                   const std::function<void(size_t)>& started,
                   const std::function<void(size_t, const CaseResult&)>& finished) {
  const auto& cases = lf.file.cases;
  if (!lf.file.mutation) {
    for (size_t i = first; i < cases.size(); ++i) {
      if (poisoned.count(i)) continue;
      if (skip_case(cases[i])) {
        finished(i, {Verdict::Skip, {}});
        continue;
      }
      started(i);
      finished(i, run_case(nullptr, lf, cases[i]));
    }
    return;
  }
  // A mutation script: one session; state carries from case to case.
  SessionEngine session;
  std::string setup_error;
  try {
    session = make_engine(lf);
  } catch (const std::exception& e) {
    setup_error = e.what();
  } catch (...) {
    setup_error = "unknown";
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    if (poisoned.count(i)) continue;
    if (skip_case(cases[i])) {
      if (i >= first) finished(i, {Verdict::Skip, {}});
      continue;
    }
    started(i);
    CaseResult r = setup_error.empty()
                       ? run_case(&session, lf, cases[i])
                       : CaseResult{Verdict::Fail, "exception in setup: " + setup_error};
    if (i >= first) finished(i, r);
  }
}

FileResult summarize(const LoadedFile& lf, const std::vector<std::optional<CaseResult>>& results) {
  FileResult r;
  r.path = lf.file.path;
  r.relative = lf.relative;
  r.skip_reason = lf.config.skip_reason;
  for (const auto& e : lf.file.parse_errors) {
    ++r.failed;
    int line = 0;
    std::sscanf(e.c_str(), "line %d", &line);
    r.failures.push_back({line, "", "(a well-formed test file)", e});
  }
  for (size_t i = 0; i < lf.file.cases.size(); ++i) {
    const auto& c = lf.file.cases[i];
    const auto* res = i < results.size() && results[i] ? &*results[i] : nullptr;
    if (lf.config.skipped() || (res && res->verdict == Verdict::Skip)) {
      ++r.skipped;
    } else if (res && res->verdict == Verdict::Pass) {
      ++r.passed;
    } else {
      ++r.failed;
      std::string expected = c.expected;
      if (!c.override_from.empty()) expected += "  (from " + c.override_from + ")";
      r.failures.push_back({c.line, c.input, expected, res ? res->actual : "not run"});
    }
  }
  return r;
}

namespace {

void write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      _exit(3);  // the parent went away
    }
    off += static_cast<size_t>(n);
  }
}

std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return name ? fmt::format("SIG{}", name) : fmt::format("signal {}", sig);
}

bool sanitized_build() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

// Runs the file in children, restarting after a crash or a timeout.
std::vector<std::optional<CaseResult>> run_isolated(const LoadedFile& lf,
                                                    const TestOptions& options,
                                                    const CaseExecutor& execute) {
  const size_t n = lf.file.cases.size();
  std::vector<std::optional<CaseResult>> results(n);
  std::set<size_t> poisoned;
  size_t next = 0;
  const int timeout_ms = static_cast<int>(std::max(0.1, options.case_timeout_s) * 1000);

  while (next < n) {
    int fds[2];
    if (::pipe(fds) != 0) break;
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      break;
    }
    if (pid == 0) {
      ::close(fds[0]);
      if (options.memory_limit_mb > 0 && !sanitized_build()) {
        rlimit lim{};
        lim.rlim_cur = lim.rlim_max = static_cast<rlim_t>(options.memory_limit_mb) * 1024 * 1024;
        ::setrlimit(RLIMIT_AS, &lim);
      }
      execute(
          lf, next, poisoned,
          [&](size_t i) {
            write_all(fds[1], dump(json{{"s", i}}) + "\n");
          },
          [&](size_t i, const CaseResult& r) {
            int v = r.verdict == Verdict::Pass ? 0 : r.verdict == Verdict::Fail ? 1 : 2;
            write_all(fds[1], dump(json{{"i", i}, {"v", v}, {"a", r.actual}}) + "\n");
          });
      _exit(0);
    }
    ::close(fds[1]);

    std::string buffer;
    std::optional<size_t> current;  // started, not finished
    bool timed_out = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd pfd{fds[0], POLLIN, 0};
      int pr = ::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
      if (pr < 0 && errno == EINTR) continue;
      if (pr == 0) {
        timed_out = true;
        ::kill(pid, SIGKILL);
        break;
      }
      char chunk[65536];
      ssize_t got = ::read(fds[0], chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;  // EOF: the child finished or died
      deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
      buffer.append(chunk, static_cast<size_t>(got));
      size_t nl;
      while ((nl = buffer.find('\n')) != std::string::npos) {
        json msg = json::parse(buffer.substr(0, nl), nullptr, false);
        buffer.erase(0, nl + 1);
        if (msg.is_discarded()) continue;
        if (msg.contains("s")) {
          current = msg["s"].get<size_t>();
        } else if (msg.contains("i")) {
          size_t i = msg["i"].get<size_t>();
          int v = msg["v"].get<int>();
          if (i < n)
            results[i] = CaseResult{v == 0   ? Verdict::Pass
                                    : v == 1 ? Verdict::Fail
                                             : Verdict::Skip,
                                    msg["a"].get<std::string>()};
          next = std::max(next, i + 1);
          current.reset();
        }
      }
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool clean = !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (clean) break;

    std::string why = timed_out ? fmt::format("timed out after {} s", options.case_timeout_s)
                      : WIFSIGNALED(status)
                          ? "crashed: " + signal_text(WTERMSIG(status))
                          : fmt::format("crashed: exit status {}", WEXITSTATUS(status));
    if (!current || *current < next) {
      // Died outside a case we can blame (engine setup, or a replayed case):
      // give up on the rest of the file.
      for (size_t i = next; i < n; ++i)
        if (!results[i]) results[i] = CaseResult{Verdict::Fail, "not run: the test process " + why};
      break;
    }
    results[*current] = CaseResult{Verdict::Fail, why};
    poisoned.insert(*current);
    next = *current + 1;
  }
  return results;
}

}  // namespace

FileResult run_file(const LoadedFile& lf, const TestOptions& options,
                    const CaseExecutor& executor) {
  const CaseExecutor& execute = executor ? executor : CaseExecutor(execute_cases);
  std::vector<std::optional<CaseResult>> results(lf.file.cases.size());
  if (!lf.config.skipped()) {
    if (options.isolate) {
      results = run_isolated(lf, options, execute);
    } else {
      execute(
          lf, 0, {}, [](size_t) {}, [&](size_t i, const CaseResult& r) { results[i] = r; });
    }
  }
  return summarize(lf, results);
}

std::string summary_json(const RunSummary& s) {
  json files = json::array();
  for (const auto& f : s.files) {
    json failures = json::array();
    for (const auto& x : f.failures)
      failures.push_back(
          {{"line", x.line}, {"input", x.input}, {"expected", x.expected}, {"actual", x.actual}});
    files.push_back({{"path", f.path},
                     {"passed", f.passed},
                     {"failed", f.failed},
                     {"skipped", f.skipped},
                     {"skip_reason", f.skip_reason},
                     {"failures", std::move(failures)}});
  }
  json j{{"passed", s.passed},
         {"failed", s.failed},
         {"skipped", s.skipped},
         {"files", std::move(files)}};
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string file_line(const FileResult& r) {
  const char* status = r.failed                                                   ? "FAIL"
                       : (r.passed == 0 && (r.skipped || !r.skip_reason.empty())) ? "SKIP"
                                                                                  : "PASS";
  std::string line = fmt::format("{} {}  {} passed, {} failed, {} skipped", status, r.path,
                                 r.passed, r.failed, r.skipped);
  if (!r.skip_reason.empty()) line += " (" + r.skip_reason + ")";
  return line;
}

std::string totals_line(const RunSummary& s) {
  return fmt::format("{} passed, {} failed, {} skipped", s.passed, s.failed, s.skipped);
}

namespace {

std::string indent_input(const std::string& input) {
  std::string out;
  for (char c : input) {
    if (c == '\r') continue;
    out += c;
    if (c == '\n') out += "       ";
  }
  return out;
}

}  // namespace

int run_test_command(const TestOptions& options, const CliOptions& cli) {
  (void)cli;  // the suite runs on a plain engine: no host, no store
  std::string missing;
  auto files = load_files(options, &missing);
  if (!missing.empty()) {
    fmt::print("suite not found: {} — skipped\n", missing);
    return 77;
  }
  apply_overrides(files);

  RunSummary summary;
  for (const auto& lf : files) {
    FileResult r = run_file(lf, options);
    summary.passed += r.passed;
    summary.failed += r.failed;
    summary.skipped += r.skipped;
    fmt::print("{}\n", file_line(r));
    if (options.verbose)
      for (const auto& f : r.failures)
        fmt::print("  line {}: >> {}\n    expected: {}\n    actual:   {}\n", f.line,
                   indent_input(f.input), f.expected, f.actual);
    std::fflush(stdout);
    summary.files.push_back(std::move(r));
  }
  fmt::print("{}\n", totals_line(summary));

  if (options.json_path) {
    std::ofstream out(*options.json_path, std::ios::binary);
    out << summary_json(summary);
    if (!out) {
      fmt::print(stderr, "canvasfx test: cannot write {}\n", *options.json_path);
      return 1;
    }
  }

  RatchetTable now;
  for (const auto& f : summary.files) now[f.relative] = f.passed;

  auto read_table = [](const std::string& path, bool must_exist, bool& ok) {
    std::string text;
    ok = read_file(path, text) || !must_exist;
    std::vector<std::string> errors;
    RatchetTable t = parse_ratchet(text, &errors);
    for (const auto& e : errors) fmt::print(stderr, "{}: {}\n", path, e);
    return t;
  };

  if (options.update_ratchet_path) {
    bool ok = true;
    RatchetTable old = read_table(*options.update_ratchet_path, false, ok);
    std::vector<RatchetRegression> down;
    RatchetTable updated = update_ratchet(old, now, &down);
    for (const auto& d : down)
      fmt::print(stderr, "warning: {} went down from {} to {} passing (kept {})\n", d.path,
                 d.recorded, d.now, d.recorded);
    std::ofstream out(*options.update_ratchet_path, std::ios::binary);
    out << format_ratchet(updated);
    if (!out) {
      fmt::print(stderr, "canvasfx test: cannot write {}\n", *options.update_ratchet_path);
      return 1;
    }
    fmt::print("ratchet updated: {}\n", *options.update_ratchet_path);
    return 0;
  }
  if (options.ratchet_path) {
    bool ok = true;
    RatchetTable recorded = read_table(*options.ratchet_path, true, ok);
    if (!ok) {
      fmt::print(stderr, "canvasfx test: cannot read ratchet {}\n", *options.ratchet_path);
      return 1;
    }
    auto regressions = compare_ratchet(recorded, now);
    for (const auto& r : regressions)
      fmt::print("ratchet: {} passes {} cases, {} recorded\n", r.path, r.now, r.recorded);
    if (!regressions.empty()) {
      fmt::print("ratchet: {} file(s) went down\n", regressions.size());
      return 1;
    }
    fmt::print("ratchet: no file went down\n");
    return 0;
  }
  return summary.failed ? 1 : 0;
}

}  // namespace canvasfx::cli

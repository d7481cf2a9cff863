// SIGKILL in the middle of writes, many times over: does an acknowledged write
// survive, and does the store always open again?
//
//   canvasfx_sigkill_trials [--trials N] [--seed S] [--binary PATH] [--keep DIR]
//
// Each trial runs the real `canvasfx` (its REPL reading a script on stdin)
// against one store shared by all trials, and kills it with SIGKILL at a
// random moment:
//   - write trials (most): the script adds rows (Collect) and patches a
//     counter row (Patch), one transaction each; a result line printed on
//     stdout is an acknowledgement. The kill lands after the first
//     acknowledgement, or (one trial in six) at any moment from the start,
//     store opening and validation included.
//   - creation trials (one in five): a new store being created and seeded is
//     killed; afterwards it is either absent or complete.
// After each kill the store is opened with Store::open and checked: SQLite's
// integrity_check, every acknowledged row present, the counter at its last
// acknowledged value (or the one in flight), every row with its upsync-queue
// entry and the counter's last queue entry equal to its value.
// Prints a summary and exits 1 when any write was lost or any store failed
// to open. ctest runs 50 trials; scripts/sigkill_trials.sh runs 1,000.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "canvasfx/host/store.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int trials = 50;
  uint64_t seed = std::random_device{}();
  std::string binary = CANVASFX_BINARY;
  std::optional<std::string> keep;  // keep the store in this folder
};

struct Child {
  pid_t pid = -1;
  int in = -1, out = -1;
};

Child spawn(const std::vector<std::string>& args, bool pipes) {
  int to_child[2] = {-1, -1}, from_child[2] = {-1, -1};
  if (pipes && (::pipe(to_child) != 0 || ::pipe(from_child) != 0)) std::abort();
  Child c;
  c.pid = ::fork();
  if (c.pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(pipes ? to_child[0] : null, STDIN_FILENO);
    ::dup2(pipes ? from_child[1] : null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1], null})
      if (fd > STDERR_FILENO) ::close(fd);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  if (pipes) {
    ::close(to_child[0]);
    ::close(from_child[1]);
    c.in = to_child[1];
    c.out = from_child[0];
  }
  return c;
}

// Reads what is available until `deadline` (or EOF); returns false at EOF.
bool read_until(int fd, std::string& into, Clock::time_point deadline) {
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
    if (ready <= 0) return true;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    into.append(buf, static_cast<size_t>(n));
    if (Clock::now() >= deadline) return true;
  }
}

int wait_for(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// One query's integer result through the plain SQLite API, read-only.
std::optional<int64_t> query_int(const fs::path& path, const std::string& sql,
                                 const std::string& param = {}) {
  sqlite3* db = nullptr;
  std::optional<int64_t> result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
      if (!param.empty()) sqlite3_bind_text(st, 1, param.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(st) == SQLITE_ROW) result = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return result;
}

struct Totals {
  int trials = 0, write_trials = 0, creation_trials = 0;
  int killed_before_first_ack = 0;
  int64_t acknowledged = 0, lost = 0, inconsistent = 0;
  int failed_to_reopen = 0;
  int created_complete = 0, created_absent = 0, temp_files_left = 0;
};

// The store opens (our validation: SQLite's quick_check, schema) and SQLite's
// full integrity_check passes.
bool reopens(const fs::path& path, std::string& why) {
  try {
    auto store = canvasfx::host::Store::open(path, {.create = false});
    store->count_rows("Accounts");
  } catch (const std::exception& e) {
    why = e.what();
    return false;
  }
  auto ok =
      query_int(path, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'");
  if (ok != 1) {
    why = "integrity_check failed";
    return false;
  }
  return true;
}

void write_trial(const Options& o, const fs::path& store, int trial, std::mt19937_64& rng,
                 int64_t& counter, Totals& t) {
  ++t.write_trials;
  // The script: even inputs add a row, odd ones patch the counter.
  constexpr int kInputs = 120;
  std::vector<std::string> expected;  // what each input prints when it succeeds
  std::string script;
  for (int i = 0; i < kInputs; ++i) {
    if (i % 2 == 0) {
      std::string name = "sigkill-" + std::to_string(trial) + "-" + std::to_string(i);
      script += "Collect(Accounts, {Name: \"" + name + "\"}).Name\n";
      expected.push_back("\"" + name + "\"");
    } else {
      std::string value = std::to_string(int64_t{trial} * 1000 + i);
      script += "Patch(Accounts, LookUp(Accounts, Name = \"counter\"), {Employees: " + value +
                "}).Employees\n";
      expected.push_back(value);
    }
  }
  Child c = spawn({o.binary, "--store", store.string()}, true);
  if (::write(c.in, script.data(), script.size()) != static_cast<ssize_t>(script.size()))
    std::abort();
  std::string output;
  bool from_start = rng() % 6 == 0;
  auto start = Clock::now();
  if (from_start) {
    read_until(c.out, output, start + std::chrono::milliseconds(rng() % 400));
  } else {
    // Until the first acknowledgement (or 10 s), then a little more.
    while (output.find('\n') == std::string::npos &&
           Clock::now() < start + std::chrono::seconds(10))
      if (!read_until(c.out, output, Clock::now() + std::chrono::milliseconds(5))) break;
    read_until(c.out, output, Clock::now() + std::chrono::microseconds(rng() % 250000));
  }
  ::kill(c.pid, SIGKILL);
  wait_for(c.pid);
  read_until(c.out, output, Clock::now());  // acknowledgements already in the pipe count
  ::close(c.in);
  ::close(c.out);

  // Acknowledged inputs: the complete lines, in order.
  std::vector<std::string> lines;
  for (size_t at = 0, nl; (nl = output.find('\n', at)) != std::string::npos; at = nl + 1)
    lines.push_back(output.substr(at, nl - at));
  if (lines.empty()) ++t.killed_before_first_ack;
  int64_t acked_counter = counter;
  for (size_t i = 0; i < lines.size() && i < expected.size(); ++i) {
    if (lines[i] != expected[i]) {
      std::fprintf(stderr, "trial %d: input %zu printed %s, expected %s\n", trial, i,
                   lines[i].c_str(), expected[i].c_str());
      ++t.inconsistent;
      continue;
    }
    ++t.acknowledged;
    if (i % 2 == 1) acked_counter = std::stoll(expected[i]);
  }

  std::string why;
  if (!reopens(store, why)) {
    std::fprintf(stderr, "trial %d: the store does not open again: %s\n", trial, why.c_str());
    ++t.failed_to_reopen;
    return;
  }
  for (size_t i = 0; i < lines.size() && i < expected.size(); i += 2)
    if (query_int(store, "SELECT count(*) FROM Accounts WHERE Name = ?1",
                  expected[i].substr(1, expected[i].size() - 2)) != 1) {
      std::fprintf(stderr, "trial %d: acknowledged row %s is missing\n", trial,
                   expected[i].c_str());
      ++t.lost;
    }
  // The counter: the last acknowledged value, or the Patch that was in flight.
  int64_t now =
      query_int(store, "SELECT Employees FROM Accounts WHERE Name = 'counter'").value_or(-1);
  size_t in_flight = lines.size();
  bool in_flight_patch = in_flight < expected.size() && in_flight % 2 == 1;
  if (now != acked_counter && !(in_flight_patch && now == std::stoll(expected[in_flight]))) {
    std::fprintf(stderr, "trial %d: the counter is %lld, acknowledged %lld\n", trial,
                 static_cast<long long>(now), static_cast<long long>(acked_counter));
    ++t.lost;
  }
  counter = now;
  // Nothing without its queue entry, and the queue's last word on the counter is its value.
  auto orphans =
      query_int(store,
                "SELECT count(*) FROM Accounts a WHERE a.Name LIKE 'sigkill-%' AND NOT EXISTS "
                "(SELECT 1 FROM _cfx_queue q WHERE q.record_id = a.AccountId AND "
                "q.action = 'create')");
  auto queued_counter = query_int(
      store,
      "SELECT json_extract(changes_json, '$.Employees') FROM _cfx_queue WHERE action = 'update' "
      "AND record_id = (SELECT AccountId FROM Accounts WHERE Name = 'counter') ORDER BY id DESC "
      "LIMIT 1");
  if (orphans != 0 || (queued_counter && *queued_counter != now)) {
    std::fprintf(stderr, "trial %d: %lld rows without a queue entry, queue says counter %lld\n",
                 trial, static_cast<long long>(orphans.value_or(-1)),
                 static_cast<long long>(queued_counter.value_or(-1)));
    ++t.inconsistent;
  }
}

void creation_trial(const Options& o, const fs::path& folder, int trial, std::mt19937_64& rng,
                    Totals& t) {
  ++t.creation_trials;
  fs::path store = folder / ("new-" + std::to_string(trial) + ".db");
  Child c = spawn({o.binary, "--store", store.string(), "store", "status"}, false);
  std::this_thread::sleep_for(std::chrono::microseconds(rng() % 2500000));
  ::kill(c.pid, SIGKILL);
  int status = wait_for(c.pid);
  bool finished = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  auto temporary_files = [&] {
    int n = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
      n +=
          entry.path().filename().string().rfind("." + store.filename().string() + ".new-", 0) == 0;
    return n;
  };
  std::string why;
  if (!fs::exists(store)) {
    if (finished) {
      std::fprintf(stderr, "trial %d: the creation finished but there is no store\n", trial);
      ++t.failed_to_reopen;
    }
    ++t.created_absent;
  } else if (!reopens(store, why) ||
             query_int(store, "SELECT count(*) FROM Accounts").value_or(-1) != 3000) {
    std::fprintf(stderr, "trial %d: a killed creation left an incomplete store: %s\n", trial,
                 why.c_str());
    ++t.failed_to_reopen;
  } else {
    ++t.created_complete;
  }
  // The next command creates (or opens) it, and removes what the killed one left.
  Child again = spawn({o.binary, "--store", store.string(), "store", "status"}, false);
  int s = wait_for(again.pid);
  if (!WIFEXITED(s) || WEXITSTATUS(s) != 0 || !reopens(store, why)) {
    std::fprintf(stderr, "trial %d: the store cannot be created after a killed creation\n", trial);
    ++t.failed_to_reopen;
  }
  t.temp_files_left += temporary_files();
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(store.string() + suffix, ec);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--trials")
      o.trials = std::atoi(argv[i + 1]);
    else if (a == "--seed")
      o.seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--binary")
      o.binary = argv[i + 1];
    else if (a == "--keep")
      o.keep = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: %s [--trials N] [--seed S] [--binary PATH] [--keep DIR]\n",
                   argv[0]);
      return 2;
    }
  }
  ::signal(SIGPIPE, SIG_IGN);
  std::string tmpl = (fs::temp_directory_path() / "canvasfx-sigkill-XXXXXX").string();
  fs::path folder = o.keep ? fs::path(*o.keep) : fs::path(::mkdtemp(tmpl.data()));
  fs::create_directories(folder);
  fs::path store = folder / "store.db";
  std::printf("sigkill trials: %d, seed %llu, store %s\n", o.trials,
              static_cast<unsigned long long>(o.seed), store.c_str());
  std::fflush(stdout);
  Child setup = spawn({o.binary, "--store", store.string(), "eval",
                       "Collect(Accounts, {Name: \"counter\", Employees: 0}).Name"},
                      false);
  if (int s = wait_for(setup.pid); !WIFEXITED(s) || WEXITSTATUS(s) != 0) {
    std::fprintf(stderr, "cannot create the store with %s\n", o.binary.c_str());
    return 2;
  }

  std::mt19937_64 rng(o.seed);
  Totals t;
  int64_t counter = 0;
  auto start = Clock::now();
  for (int trial = 1; trial <= o.trials; ++trial) {
    ++t.trials;
    if (rng() % 5 == 0)
      creation_trial(o, folder, trial, rng, t);
    else
      write_trial(o, store, trial, rng, counter, t);
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "%d trials in %.0f s: %d killed while writing (%d before the first acknowledgement), "
      "%d while creating a store\n"
      "acknowledged writes: %lld, lost: %lld, inconsistent: %lld\n"
      "stores that failed to open again: %d\n"
      "killed creations: %d complete, %d absent; temporary files left after the next command: "
      "%d\n",
      t.trials, seconds, t.write_trials, t.killed_before_first_ack, t.creation_trials,
      static_cast<long long>(t.acknowledged), static_cast<long long>(t.lost),
      static_cast<long long>(t.inconsistent), t.failed_to_reopen, t.created_complete,
      t.created_absent, t.temp_files_left);
  if (!o.keep) fs::remove_all(folder);
  return t.lost == 0 && t.inconsistent == 0 && t.failed_to_reopen == 0 && t.temp_files_left == 0
             ? 0
             : 1;
}

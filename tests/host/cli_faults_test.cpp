// The `canvasfx` command when the store's file or disk fails, with real faults:
// a read-only file (for root, the command runs as `nobody`), another process
// holding the write lock, a full disk (RLIMIT_FSIZE: the file may not grow),
// and files that are not stores (empty, half-created, truncated). Every case
// ends with a message naming the file and the reason, and a documented exit
// status (3: the store failed, 4: eval's result is an error value); never an
// abort, never a changed file.
#ifdef CANVASFX_HAVE_HOST
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <optional>

#include "host_fixture.h"
#include "test_util.h"

namespace canvasfx::host::testing {
namespace {

constexpr uid_t kNobody = 65534;

std::filesystem::path binary() {
  return std::filesystem::read_symlink("/proc/self/exe").parent_path() / "canvasfx";
}

struct Limits {
  std::optional<rlim_t> max_file_size;  // RLIMIT_FSIZE: the disk is "full" past it
  std::optional<uid_t> uid;             // run as this user
};

struct CliResult {
  int status;       // exit status; 128 + signal when killed
  std::string out;  // stdout and stderr
};

// Runs `canvasfx ARGS` through /bin/sh with the limits applied in the child.
CliResult run(const std::string& args, const Limits& limits = {}) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {-1, "pipe failed"};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    if (limits.max_file_size) {
      // Past the limit write() fails with EFBIG (instead of a SIGXFSZ), as a full disk.
      ::signal(SIGXFSZ, SIG_IGN);
      rlimit r{*limits.max_file_size, *limits.max_file_size};
      ::setrlimit(RLIMIT_FSIZE, &r);
    }
    if (limits.uid && (::setgid(*limits.uid) != 0 || ::setuid(*limits.uid) != 0)) _exit(125);
    std::string cmd = binary().string() + " " + args;
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
    _exit(127);
  }
  ::close(pipe_fds[1]);
  CliResult r{-1, {}};
  std::array<char, 4096> buf;
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buf.data(), buf.size())) > 0) r.out.append(buf.data(), n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string shell_quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

class CliFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(binary())) GTEST_SKIP() << "canvasfx is not built";
    path_ = dir_ / "store.db";
  }
  std::string store() const { return "--store " + path_.string(); }
  // A new store, seeded with the demo.
  void create() { ASSERT_EQ(run(store() + " store status").status, 0); }

  TempDir dir_;
  std::filesystem::path path_;
};

const char* const kEveryCommand[] = {
    "eval 1",           "store status",   "store set connected false",
    "store sync begin", "store sync end", "profile apply PROFILE"};

std::string with_profile(std::string command, const std::filesystem::path& profile) {
  auto at = command.find("PROFILE");
  if (at != std::string::npos) command.replace(at, 7, profile.string());
  return command;
}

// ---------------------------------------------------------------- not a store

TEST_F(CliFaults, EmptyHalfCreatedAndTruncatedFilesAreRefusedByEveryCommandUntouched) {
  create();
  std::string valid = read_file(path_);
  auto profile = dir_ / "tiny.yaml";
  write_file(profile,
             "name: Tiny\ntables:\n  - name: Notes\n    can_be_taken_offline: true\n    key: Id\n"
             "    columns:\n      - { name: Id, type: text }\n    rows:\n      all: true\n");
  struct Case {
    const char* name;
    std::string bytes;
    const char* reason;
  };
  auto half_created = dir_ / "half.db";
  raw_exec(half_created, "PRAGMA journal_mode = WAL; CREATE TABLE t (x); DROP TABLE t;");
  const Case cases[] = {
      {"zero.db", "", "the file is empty (0 bytes): it is not a canvasfx store"},
      {"half.db", read_file(half_created), "an empty SQLite database, not a canvasfx store"},
      {"truncated.db", valid.substr(0, valid.size() / 3), "the database is damaged or truncated"},
      {"cut-at-page.db", valid.substr(0, 8192), "the database is damaged or truncated"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto file = dir_ / ("bad-" + std::string(c.name));
    write_file(file, c.bytes);
    uint64_t before = hash_file(file);
    for (const char* command : kEveryCommand) {
      CliResult r = run("--store " + file.string() + " " + with_profile(command, profile));
      EXPECT_EQ(r.status, 3) << command << ": " << r.out;
      EXPECT_TRUE(contains(r.out, "cannot open store '" + file.string() + "': " + c.reason))
          << command << ": " << r.out;
    }
    EXPECT_EQ(hash_file(file), before);
    EXPECT_FALSE(std::filesystem::exists(file.string() + "-wal"));
    EXPECT_FALSE(std::filesystem::exists(file.string() + "-shm"));
  }
}

// ---------------------------------------------------------------- read-only

TEST_F(CliFaults, AReadOnlyStoreRefusesWritesWithTheReasonAndKeepsEveryRow) {
  create();
  Limits limits;
  if (::geteuid() == 0) {
    // Root writes any file: the command runs as nobody, who may use the
    // folder (for the -shm) but not write the file.
    limits.uid = kNobody;
    for (const auto& p : {dir_.path(), path_})
      ASSERT_EQ(::chown(p.c_str(), kNobody, static_cast<gid_t>(-1)), 0);
    ::chmod(dir_.path().c_str(), 0755);
  }
  ::chmod(path_.c_str(), 0444);
  int64_t rows = raw_int(path_, "SELECT count(*) FROM Accounts");
  int64_t queued = raw_int(path_, "SELECT count(*) FROM _cfx_queue");
  std::string read_only =
      "attempt to write a readonly database (the file or its folder is "
      "read-only)";

  CliResult probe = run(store() + " store status", limits);
  if (probe.status == 125) GTEST_SKIP() << "cannot run a command as nobody here";
  EXPECT_EQ(probe.status, 0) << probe.out;
  for (const char* command : {"store set connected false", "store sync begin"}) {
    CliResult r = run(store() + " " + command, limits);
    EXPECT_EQ(r.status, 3) << command << ": " << r.out;
    EXPECT_TRUE(contains(r.out, "in store '" + path_.string() + "': " + read_only)) << r.out;
  }
  CliResult caught = run(
      store() + " eval " +
          shell_quoted("IfError(Patch(Accounts, First(Accounts), {Name: \"q\"}).Name, \"ERR: \" & "
                       "FirstError.Message)"),
      limits);
  EXPECT_EQ(caught.status, 0) << caught.out;
  EXPECT_EQ(caught.out, "\"ERR: cannot change a record of 'Accounts' in store '" + path_.string() +
                            "': " + read_only + "\"\n");
  CliResult uncaught =
      run(store() + " eval " + shell_quoted("Collect(Accounts, {Name: \"new\"})"), limits);
  EXPECT_EQ(uncaught.status, 4) << uncaught.out;
  EXPECT_TRUE(contains(uncaught.out,
                       "Error({Kind:ErrorKind.Sync,Message:\"cannot add a record to 'Accounts'"))
      << uncaught.out;
  EXPECT_EQ(raw_int(path_, "SELECT count(*) FROM Accounts"), rows);
  EXPECT_EQ(raw_int(path_, "SELECT count(*) FROM _cfx_queue"), queued);
}

// ---------------------------------------------------------------- locked

TEST_F(CliFaults, AWriterHoldingTheLockMakesAStoreCommandFailAfterFiveSeconds) {
  create();
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE; UPDATE _cfx_device SET metered = 1;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  CliResult r = run(store() + " store set connected false");
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_EQ(r.out, "canvasfx store: cannot change the device state in store '" + path_.string() +
                       "': database is locked (another process is writing to it; gave up after "
                       "5 s)\n");
  CliResult read = run(store() + " eval Connection.Connected");  // readers go on (WAL)
  EXPECT_EQ(read.out, "true\n");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(run(store() + " store set connected false").status, 0);
}

// ---------------------------------------------------------------- full disk

TEST_F(CliFaults, CreatingAStoreOnAFullDiskLeavesNoFile) {
  for (rlim_t room : {rlim_t{0}, rlim_t{64 * 1024}, rlim_t{1024 * 1024}}) {
    SCOPED_TRACE(room);
    CliResult r = run(store() + " store status", {.max_file_size = room});
    EXPECT_EQ(r.status, 3) << r.out;
    EXPECT_TRUE(contains(r.out, "cannot create store '" + path_.string() + "'")) << r.out;
    EXPECT_TRUE(contains(r.out, "nothing was left behind") ||
                contains(r.out, "cannot create a file in its folder"))
        << r.out;
    EXPECT_TRUE(std::filesystem::is_empty(dir_.path())) << r.out;
  }
  EXPECT_EQ(run(store() + " eval 'CountRows(Accounts)'").out, "3000\n");
}

TEST_F(CliFaults, AFullDiskDuringWritesLosesNoAcknowledgedWriteAndTheStoreOpensAgain) {
  create();
  // No write may reach past 200 KB into a file: the WAL fills up after a few
  // commits (one row per transaction), and no checkpoint can write the main file.
  Limits full{.max_file_size = 200 * 1024};
  std::string formula =
      "ForAll(Sequence(400), IfError(Collect(Accounts, {Name: \"n\" & Value & \" \" & "
      "Concat(Sequence(40), \"abcdefghij\")}).Name, \"FAILED: \" & FirstError.Message))";
  CliResult r = run(store() + " eval " + shell_quoted(formula), full);
  EXPECT_EQ(r.status, 0) << r.out.substr(0, 2000);
  size_t acknowledged = 0, failed = 0, pos = 0;
  while ((pos = r.out.find("{Value:\"n", pos)) != std::string::npos) ++acknowledged, ++pos;
  pos = 0;
  while ((pos = r.out.find("FAILED: ", pos)) != std::string::npos) ++failed, ++pos;
  EXPECT_GT(acknowledged, 0u);
  EXPECT_GT(failed, 0u);
  EXPECT_EQ(acknowledged + failed, 400u);
  EXPECT_TRUE(contains(r.out, "FAILED: cannot ")) << r.out.substr(0, 2000);
  EXPECT_TRUE(contains(r.out, "in store '" + path_.string() + "': ")) << r.out.substr(0, 2000);
  // With room again: the store opens, writes, and holds exactly the acknowledged rows.
  EXPECT_EQ(run(store() + " eval " + shell_quoted("Collect(Accounts, {Name: \"after\"}).Name")).out,
            "\"after\"\n");
  EXPECT_EQ(run(store() + " eval " +
                shell_quoted("CountRows(Filter(Accounts, StartsWith(Name, \"n\") "
                             "&& Len(Name) > 400))"))
                .out,
            std::to_string(acknowledged) + "\n");
  EXPECT_EQ(raw_int(path_, "SELECT count(*) FROM _cfx_queue WHERE action = 'create'"),
            static_cast<int64_t>(acknowledged) + 1);
  EXPECT_EQ(raw_int(path_,
                    "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = "
                    "'ok'"),
            1);
}

}  // namespace
}  // namespace canvasfx::host::testing
#endif

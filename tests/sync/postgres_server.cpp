// A throwaway PostgreSQL server (postgres_server.h).
#include "postgres_server.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace canvasfx::sync::testing {

namespace {

namespace fs = std::filesystem;

struct RunAs {
  bool drop = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

RunAs unprivileged() {
  RunAs r;
  if (geteuid() != 0) return r;
  const passwd* pw = getpwnam("postgres");
  if (!pw)
    throw std::runtime_error(
        "running as root, and there is no 'postgres' user to run PostgreSQL as");
  r.drop = true;
  r.uid = pw->pw_uid;
  r.gid = pw->pw_gid;
  return r;
}

// fork + exec `argv` as `who`, output to `log`. With `die_with_parent`, the
// child is killed when this process ends.
pid_t spawn(const std::vector<std::string>& argv, const RunAs& who, const std::string& log,
            bool die_with_parent) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid > 0) return pid;
  int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd >= 0) {
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
  }
  setsid();
  if (who.drop && (setgroups(0, nullptr) != 0 || setgid(who.gid) != 0 || setuid(who.uid) != 0))
    _exit(126);
  // After setuid: changing credentials clears the parent-death signal.
  if (die_with_parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(125);
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

std::string read_log(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  return text.size() > 4000 ? text.substr(text.size() - 4000) : text;
}

}  // namespace

std::string PostgresServer::bin_dir() {
  if (const char* env = std::getenv("CANVASFX_PG_BIN"); env && *env) return env;
  // Debian installs each major version side by side; take the newest.
  int newest = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    int version = std::atoi(entry.path().filename().c_str());
    if (version > newest && access((entry.path() / "bin" / "initdb").c_str(), X_OK) == 0)
      newest = version;
  }
  if (newest == 0)
    throw std::runtime_error(
        "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (install the Debian package "
        "postgresql, see scripts/install-deps.sh) and $CANVASFX_PG_BIN is not set");
  return fmt::format("/usr/lib/postgresql/{}/bin", newest);
}

PostgresServer::PostgresServer() {
  const std::string bin = bin_dir();
  RunAs who = unprivileged();
  std::string tmpl = (fs::temp_directory_path() / "canvasfx-pg-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  if (who.drop && chown(dir_.c_str(), who.uid, who.gid) != 0)
    throw std::runtime_error("cannot give the temporary directory to the postgres user");
  std::string data = dir_ + "/data", log = dir_ + "/log";
  { std::ofstream touch(log); }
  if (who.drop) (void)chown(log.c_str(), who.uid, who.gid);

  pid_t init = spawn({bin + "/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C", "--no-sync"},
                     who, log, true);
  int status = 0;
  waitpid(init, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("initdb failed:\n" + read_log(log));

  // The port only names the socket file in our own directory: no TCP at all.
  port_ = 20000 + static_cast<int>(std::random_device{}() % 40000);
  pid_ = spawn({bin + "/postgres", "-D", data, "-k", dir_, "-p", std::to_string(port_), "-c",
                "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
                "full_page_writes=off", "-c", "max_connections=300"},
               who, log, true);
  std::string conninfo = fmt::format("host={} port={} user=postgres dbname=postgres", dir_, port_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (PQping(conninfo.c_str()) != PQPING_OK) {
    int st = 0;
    if (waitpid(pid_, &st, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("PostgreSQL did not start:\n" + read_log(log));
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("PostgreSQL did not answer within 60 s:\n" + read_log(log));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

PostgresServer::~PostgresServer() {
  if (pid_ > 0) {
    kill(pid_, SIGINT);  // fast shutdown
    for (int i = 0; i < 200; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PostgresServer::url(const std::string& name) const {
  return fmt::format("postgresql:///{}?host={}&port={}&user=postgres", name, dir_, port_);
}

void PostgresServer::create_database(const std::string& name) {
  PGconn* c = PQconnectdb(
      fmt::format("host={} port={} user=postgres dbname=postgres", dir_, port_).c_str());
  std::string error;
  if (PQstatus(c) != CONNECTION_OK) {
    error = PQerrorMessage(c);
  } else {
    // The name is ours (a test's), made of letters, digits and underscores.
    PGresult* r = PQexec(c, fmt::format("CREATE DATABASE \"{}\"", name).c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(c);
  if (!error.empty()) throw std::runtime_error("cannot create database " + name + ": " + error);
}

}  // namespace canvasfx::sync::testing

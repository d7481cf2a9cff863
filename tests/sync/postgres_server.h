// A throwaway PostgreSQL server for tests and benchmarks: a new cluster in a
// temporary directory, reachable only through a Unix socket in that directory
// (listen_addresses = ''), stopped and deleted by the destructor.
//
// PostgreSQL refuses to run as root; when the process is root, initdb and the
// server run as the unprivileged user `postgres` (the Debian package creates
// it). The server process is our child and gets SIGKILL if we die
// (PR_SET_PDEATHSIG), so a crashed or killed test leaves no server behind.
// Durability settings are off (fsync, synchronous_commit): the tests kill our
// sync server, never PostgreSQL, and the cluster is thrown away anyway.
#pragma once

#include <sys/types.h>

#include <string>

namespace canvasfx::sync::testing {

class PostgresServer {
 public:
  // Throws std::runtime_error with the reason (and the server's log) on failure.
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A libpq URL for database `name` (create it first).
  std::string url(const std::string& name = "postgres") const;
  void create_database(const std::string& name);
  pid_t pid() const { return pid_; }  // the postmaster

  // Where the server binaries are: $CANVASFX_PG_BIN, else the newest of
  // Debian's /usr/lib/postgresql/*/bin. Throws when there is none.
  static std::string bin_dir();

 private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace canvasfx::sync::testing

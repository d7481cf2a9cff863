// A SQLite VFS for fault tests: the default "unix" VFS with two faults that can
// be switched on while a test runs, so that tests need neither root (a small
// tmpfs, a read-only mount) nor another user (a read-only file for root).
//
//   - disk full: after `bytes` more bytes written, every write fails as a full
//     disk does (SQLITE_FULL), until lifted;
//   - read-only: database files opened from now on open read-only, as SQLite
//     opens a file it may not write (writes fail with SQLITE_READONLY).
//
// FaultVfs registers itself as the default VFS for its lifetime (every
// connection opened meanwhile, the Store's included, goes through it) and
// restores the previous default afterwards. One at a time.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstdint>

namespace canvasfx::host::testing {

class FaultVfs {
 public:
  FaultVfs();
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  // The disk fills up after `bytes` more bytes are written.
  void fill_disk_after(int64_t bytes) { room_ = bytes; }
  void make_room() { room_ = -1; }
  bool disk_full() const { return room_ == 0; }
  // Database files opened from now on are read-only.
  void open_read_only(bool on) { read_only_ = on; }

  // Called by the VFS methods.
  static FaultVfs* active();
  int charge_write(int amount);  // SQLITE_OK or SQLITE_FULL
  bool read_only() const { return read_only_; }
  sqlite3_vfs* base() const { return base_; }

 private:
  sqlite3_vfs vfs_{};
  sqlite3_vfs* base_ = nullptr;
  std::atomic<int64_t> room_{-1};  // bytes left; -1: no limit
  std::atomic<bool> read_only_{false};
};

}  // namespace canvasfx::host::testing

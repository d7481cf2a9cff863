#include "fault_vfs.h"

#include <cstdlib>
#include <cstring>

namespace canvasfx::host::testing {
namespace {

FaultVfs* g_active = nullptr;

// Our file: SQLite allocates szOsFile bytes; the real file follows ours.
struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};
FaultFile* as_fault(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return as_fault(f)->real(); }
const sqlite3_io_methods& methods_of(sqlite3_file* f) { return *real(f)->pMethods; }

int x_close(sqlite3_file* f) { return methods_of(f).xClose(real(f)); }
int x_read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  return methods_of(f).xRead(real(f), buf, amount, offset);
}
int x_write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  if (FaultVfs* vfs = FaultVfs::active(); vfs && vfs->charge_write(amount) != SQLITE_OK)
    return SQLITE_FULL;
  return methods_of(f).xWrite(real(f), buf, amount, offset);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return methods_of(f).xTruncate(real(f), size);
}
int x_sync(sqlite3_file* f, int flags) { return methods_of(f).xSync(real(f), flags); }
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return methods_of(f).xFileSize(real(f), size);
}
int x_lock(sqlite3_file* f, int level) { return methods_of(f).xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return methods_of(f).xUnlock(real(f), level); }
int x_check_reserved_lock(sqlite3_file* f, int* out) {
  return methods_of(f).xCheckReservedLock(real(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return methods_of(f).xFileControl(real(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return methods_of(f).xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) {
  return methods_of(f).xDeviceCharacteristics(real(f));
}
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return methods_of(f).xShmMap(real(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return methods_of(f).xShmLock(real(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { methods_of(f).xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
  return methods_of(f).xShmUnmap(real(f), delete_flag);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return methods_of(f).xFetch(real(f), offset, amount, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return methods_of(f).xUnfetch(real(f), offset, p);
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

sqlite3_vfs* base_of(sqlite3_vfs* vfs) { return static_cast<FaultVfs*>(vfs->pAppData)->base(); }

int v_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* self = static_cast<FaultVfs*>(vfs->pAppData);
  if (self->read_only() && (flags & SQLITE_OPEN_MAIN_DB))
    flags = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_READONLY;
  FaultFile* f = as_fault(file);
  f->base.pMethods = nullptr;
  int rc = self->base()->xOpen(self->base(), name, f->real(), flags, out_flags);
  if (rc == SQLITE_OK && f->real()->pMethods) {
    // The wrapper forwards every method of version 3, which the unix VFS has.
    if (f->real()->pMethods->iVersion < 3) std::abort();
    f->base.pMethods = &kMethods;
  }
  return rc;
}
int v_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return base_of(vfs)->xDelete(base_of(vfs), name, sync_dir);
}
int v_access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return base_of(vfs)->xAccess(base_of(vfs), name, flags, out);
}
int v_full_pathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return base_of(vfs)->xFullPathname(base_of(vfs), name, n, out);
}
void* v_dl_open(sqlite3_vfs* vfs, const char* name) {
  return base_of(vfs)->xDlOpen(base_of(vfs), name);
}
void v_dl_error(sqlite3_vfs* vfs, int n, char* out) {
  base_of(vfs)->xDlError(base_of(vfs), n, out);
}
void (*v_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return base_of(vfs)->xDlSym(base_of(vfs), handle, symbol);
}
void v_dl_close(sqlite3_vfs* vfs, void* handle) { base_of(vfs)->xDlClose(base_of(vfs), handle); }
int v_randomness(sqlite3_vfs* vfs, int n, char* out) {
  return base_of(vfs)->xRandomness(base_of(vfs), n, out);
}
int v_sleep(sqlite3_vfs* vfs, int micros) { return base_of(vfs)->xSleep(base_of(vfs), micros); }
int v_current_time(sqlite3_vfs* vfs, double* out) {
  return base_of(vfs)->xCurrentTime(base_of(vfs), out);
}
int v_get_last_error(sqlite3_vfs* vfs, int n, char* out) {
  return base_of(vfs)->xGetLastError(base_of(vfs), n, out);
}
int v_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return base_of(vfs)->xCurrentTimeInt64(base_of(vfs), out);
}

}  // namespace

FaultVfs::FaultVfs() {
  base_ = sqlite3_vfs_find(nullptr);
  vfs_.iVersion = 2;
  vfs_.szOsFile = static_cast<int>(sizeof(FaultFile)) + base_->szOsFile;
  vfs_.mxPathname = base_->mxPathname;
  vfs_.zName = "canvasfx-fault";
  vfs_.pAppData = this;
  vfs_.xOpen = v_open;
  vfs_.xDelete = v_delete;
  vfs_.xAccess = v_access;
  vfs_.xFullPathname = v_full_pathname;
  vfs_.xDlOpen = v_dl_open;
  vfs_.xDlError = v_dl_error;
  vfs_.xDlSym = v_dl_sym;
  vfs_.xDlClose = v_dl_close;
  vfs_.xRandomness = v_randomness;
  vfs_.xSleep = v_sleep;
  vfs_.xCurrentTime = v_current_time;
  vfs_.xGetLastError = v_get_last_error;
  vfs_.xCurrentTimeInt64 = v_current_time_int64;
  g_active = this;
  sqlite3_vfs_register(&vfs_, /*make_default=*/1);
}

FaultVfs::~FaultVfs() {
  sqlite3_vfs_unregister(&vfs_);
  sqlite3_vfs_register(base_, 1);
  g_active = nullptr;
}

FaultVfs* FaultVfs::active() { return g_active; }

int FaultVfs::charge_write(int amount) {
  int64_t room = room_.load();
  if (room < 0) return SQLITE_OK;
  if (room < amount) {
    room_ = 0;
    return SQLITE_FULL;
  }
  room_ = room - amount;
  return SQLITE_OK;
}

}  // namespace canvasfx::host::testing

// SPDX-License-Identifier: GPL-3.0-or-later
// A full disk on demand, for tests: a SQLite VFS that hands everything to the
// default VFS except that, while full(true) is set, every write fails with
// SQLITE_FULL, as on a disk with no space left. A run opens its store through
// it with RunOptions::vfs_name = FullDiskVfs::kName. Filling a real disk (a
// loop device, a tiny tmpfs) needs root and is slow; this needs neither.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace runlens::test {

class FullDiskVfs {
public:
    static constexpr const char* kName = "runlens-test-full-disk";

    // Registers the VFS (not as the default) once per process.
    static void install()
    {
        static const bool done = [] {
            sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
            static sqlite3_vfs vfs{};
            vfs.iVersion = 2;
            vfs.szOsFile = static_cast<int>(sizeof(File)) + real->szOsFile;
            vfs.mxPathname = real->mxPathname;
            vfs.zName = kName;
            vfs.pAppData = real;
            vfs.xOpen = open;
            vfs.xDelete = [](sqlite3_vfs* v, const char* n, int s) { return base(v)->xDelete(base(v), n, s); };
            vfs.xAccess = [](sqlite3_vfs* v, const char* n, int f, int* out) {
                return base(v)->xAccess(base(v), n, f, out);
            };
            vfs.xFullPathname = [](sqlite3_vfs* v, const char* n, int size, char* out) {
                return base(v)->xFullPathname(base(v), n, size, out);
            };
            vfs.xDlOpen = [](sqlite3_vfs* v, const char* n) { return base(v)->xDlOpen(base(v), n); };
            vfs.xDlError = [](sqlite3_vfs* v, int size, char* out) { base(v)->xDlError(base(v), size, out); };
            vfs.xDlSym = [](sqlite3_vfs* v, void* h, const char* s) { return base(v)->xDlSym(base(v), h, s); };
            vfs.xDlClose = [](sqlite3_vfs* v, void* h) { base(v)->xDlClose(base(v), h); };
            vfs.xRandomness = [](sqlite3_vfs* v, int size, char* out) { return base(v)->xRandomness(base(v), size, out); };
            vfs.xSleep = [](sqlite3_vfs* v, int us) { return base(v)->xSleep(base(v), us); };
            vfs.xCurrentTime = [](sqlite3_vfs* v, double* out) { return base(v)->xCurrentTime(base(v), out); };
            vfs.xGetLastError = [](sqlite3_vfs* v, int size, char* out) {
                return base(v)->xGetLastError(base(v), size, out);
            };
            vfs.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* out) {
                return base(v)->xCurrentTimeInt64(base(v), out);
            };
            return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
        }();
        (void)done;
    }

    static void setFull(bool full) { state().full = full; }
    static bool full() { return state().full; }
    // Writes refused so far: proof that a test's "full disk" was hit.
    static long refusedWrites() { return state().refused; }

private:
    struct State {
        std::atomic<bool> full{false};
        std::atomic<long> refused{0};
    };
    static State& state()
    {
        static State s;
        return s;
    }

    // Our file, with the default VFS's file right behind it (szOsFile).
    struct File {
        sqlite3_file base;
        sqlite3_file* real;
    };

    static sqlite3_vfs* base(sqlite3_vfs* v) { return static_cast<sqlite3_vfs*>(v->pAppData); }
    static sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

    static const sqlite3_io_methods* methods()
    {
        static const sqlite3_io_methods m = [] {
            sqlite3_io_methods io{};
            io.iVersion = 3;
            io.xClose = [](sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); };
            io.xRead = [](sqlite3_file* f, void* p, int n, sqlite3_int64 o) {
                return real(f)->pMethods->xRead(real(f), p, n, o);
            };
            io.xWrite = [](sqlite3_file* f, const void* p, int n, sqlite3_int64 o) {
                if (state().full) {
                    ++state().refused;
                    return SQLITE_FULL;
                }
                return real(f)->pMethods->xWrite(real(f), p, n, o);
            };
            io.xTruncate = [](sqlite3_file* f, sqlite3_int64 size) {
                return real(f)->pMethods->xTruncate(real(f), size);
            };
            io.xSync = [](sqlite3_file* f, int flags) { return real(f)->pMethods->xSync(real(f), flags); };
            io.xFileSize = [](sqlite3_file* f, sqlite3_int64* out) {
                return real(f)->pMethods->xFileSize(real(f), out);
            };
            io.xLock = [](sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); };
            io.xUnlock = [](sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); };
            io.xCheckReservedLock = [](sqlite3_file* f, int* out) {
                return real(f)->pMethods->xCheckReservedLock(real(f), out);
            };
            io.xFileControl = [](sqlite3_file* f, int op, void* arg) {
                return real(f)->pMethods->xFileControl(real(f), op, arg);
            };
            io.xSectorSize = [](sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); };
            io.xDeviceCharacteristics = [](sqlite3_file* f) {
                return real(f)->pMethods->xDeviceCharacteristics(real(f));
            };
            // WAL's shared memory is mapped, not written: a full disk does not stop it.
            io.xShmMap = [](sqlite3_file* f, int page, int size, int extend, void volatile** out) {
                return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
            };
            io.xShmLock = [](sqlite3_file* f, int offset, int n, int flags) {
                return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
            };
            io.xShmBarrier = [](sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); };
            io.xShmUnmap = [](sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); };
            io.xFetch = [](sqlite3_file* f, sqlite3_int64 o, int n, void** out) {
                return real(f)->pMethods->xFetch(real(f), o, n, out);
            };
            io.xUnfetch = [](sqlite3_file* f, sqlite3_int64 o, void* p) {
                return real(f)->pMethods->xUnfetch(real(f), o, p);
            };
            return io;
        }();
        return &m;
    }

    static int open(sqlite3_vfs* v, const char* name, sqlite3_file* file, int flags, int* outFlags)
    {
        auto* f = reinterpret_cast<File*>(file);
        f->real = reinterpret_cast<sqlite3_file*>(f + 1);
        std::memset(f->real, 0, static_cast<size_t>(base(v)->szOsFile));
        const int rc = base(v)->xOpen(base(v), name, f->real, flags, outFlags);
        // SQLite calls xClose only when pMethods is set: set it when the real open did.
        f->base.pMethods = f->real->pMethods ? methods() : nullptr;
        return rc;
    }
};

} // namespace runlens::test

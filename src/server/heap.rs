//! How glibc's allocator keeps memory; the numbers are `make bench`'s (see
//! the README's Performance section).

/// Called once when the server starts.
///
/// The server's own allocations are mimalloc's (main.rs); glibc's malloc
/// still holds what C code allocates — SQLite's page caches and statements,
/// in a thread per connection. All threads share two heaps: glibc gives each
/// busy thread a heap of its own, up to eight per core, and each keeps what
/// it once held (a peak of 163 MB instead of 105 MB on SQLite before
/// mimalloc). Blocks of a megabyte or more become their own mappings,
/// returned to the system when freed, instead of staying in the heap of
/// whichever thread asked (a 19 MiB password hash per sign-in took the heap
/// to 1.6 GB when it was glibc's).
pub fn limit_growth() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocation policy (under its own
    // lock); it touches no memory of ours.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

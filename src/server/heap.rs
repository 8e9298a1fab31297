//! How glibc's allocator keeps memory; the numbers are `make bench`'s (see
//! the README's Performance section).

/// Called once when the server starts.
///
/// Every allocation of a megabyte or more becomes its own mapping, returned
/// to the system when freed: each password hash takes 19 MiB, and glibc would
/// otherwise raise its mapping threshold past that after the first one and
/// keep the blocks in the heap of whichever thread hashed (1.6 GB instead of
/// 123 MB). And all threads share two heaps: glibc gives each busy thread a
/// heap of its own, up to eight per core, and each keeps what it once held
/// (a peak of 163 MB instead of 105 MB on SQLite, where every connection has
/// a thread).
pub fn limit_growth() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes glibc's allocation policy (under its own
    // lock); it touches no memory of ours.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

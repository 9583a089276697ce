//! The `upstate` binary: `upstate serve` and `upstate migrate`.

/// The static binary (`--features dist`, musl): musl's allocator takes one lock for every thread,
/// which a server of many threads feels; mimalloc does not.
#[cfg(feature = "dist")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    pin_mmap_threshold();
    upstate_api::cli::main()
}

/// glibc raises its mmap threshold each time a large block is freed, so after the first sign-in
/// the 19 MiB working memory of every password hash comes from the hashing thread's heap and
/// stays there when freed: `just bench` measured +19 MiB of resident memory per thread that had
/// hashed a password. Setting the threshold pins it (at glibc's default, 128 KiB): large blocks
/// are mapped and unmapped on their own, and the server's memory follows what it holds.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn pin_mmap_threshold() {
    // SAFETY: mallopt only sets an allocator parameter, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn pin_mmap_threshold() {}

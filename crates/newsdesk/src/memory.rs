//! What keeps a long-running node's memory flat: no transparent huge pages, few C heaps, and
//! freed C heap memory handed back to the kernel now and then.
//!
//! The Rust heap is mimalloc's (see `main.rs`). The C heap is glibc's: SQLite allocates there,
//! on each of its connections' threads. glibc gives threads arenas of their own (up to eight
//! per core) and returns free memory from the middle of an arena only when asked, so in the
//! soak those arenas grew by some 14 MB in eighteen minutes while SQLite's own count of what it
//! held rose by 3 MB.

use std::time::Duration;

/// Before any thread starts: the process's memory settings. A refusal is said on stderr
/// (logging is not set up yet) and the node runs on.
pub fn tune_for_a_long_run() {
    no_transparent_huge_pages();
    few_c_heaps();
}

/// mimalloc asks the kernel for transparent huge pages on its arenas, and the kernel's
/// khugepaged then gathers the small pages the allocator has handed back into 2 MiB pages
/// again (it collapses a range holding even one page in use). A node's memory crept up under
/// a steady load that way: in the soak, 84 MB of 142 MB in huge pages after twelve minutes and
/// +56 MB an hour; without them, the same binary beside it, flat. So none for this process.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes plain integers and touches no memory of ours.
    if unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) } != 0 {
        eprintln!(
            "warning: cannot turn transparent huge pages off for this process ({}); memory may creep up under load",
            std::io::Error::last_os_error()
        );
    }
}

/// Two glibc arenas for every thread that allocates in C, instead of one per thread up to
/// eight a core: each arena keeps its own free memory.
fn few_c_heaps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt takes plain integers; called before any other thread exists.
    if unsafe { libc::mallopt(libc::M_ARENA_MAX, 2) } != 1 {
        eprintln!("warning: cannot limit glibc's arenas; memory may creep up under load");
    }
}

/// Hands the C heap's free pages back to the kernel every `every`, for as long as it runs.
pub async fn give_back_freed(every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // It walks every arena under its lock: off the async threads.
        let _ = tokio::task::spawn_blocking(trim_c_heap).await;
    }
}

fn trim_c_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns whole free pages of glibc's arenas to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

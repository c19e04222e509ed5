//! The `newsdesk` binary: reads the optional config file, parses the command line and hands
//! over to `newsdesk::cli`.

use clap::Parser;

// Pages are built in many short-lived buffers across threads; mimalloc keeps that cheap
// where the system allocator spent a third of a page render in malloc and free. The
// `system-alloc` feature leaves it out, so heaptrack can see every allocation.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_transparent_huge_pages();
    // Before any thread starts: the file's settings become defaults under the environment.
    if let Err(e) = newsdesk::config_file::apply_from_args(std::env::args()) {
        eprintln!("error: {e:#}");
        return std::process::ExitCode::FAILURE;
    }
    let cli = newsdesk::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(newsdesk::cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// mimalloc asks the kernel for transparent huge pages on its arenas, and the kernel's
/// khugepaged then gathers the small pages the allocator has handed back into 2 MiB pages
/// again (it collapses a range holding even one page in use). A node's memory crept up under
/// a steady load that way: in the soak, 84 MB of 142 MB in huge pages after twelve minutes and
/// +56 MB an hour; without them, the same binary beside it, flat. So none for this process.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // Before any thread starts, so a refusal is said on stderr (logging is not set up yet).
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes plain integers and touches no memory of ours.
    if unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) } != 0 {
        eprintln!(
            "warning: cannot turn transparent huge pages off for this process ({}); memory may creep up under load",
            std::io::Error::last_os_error()
        );
    }
}

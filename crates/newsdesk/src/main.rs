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
    newsdesk::memory::tune_for_a_long_run();
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

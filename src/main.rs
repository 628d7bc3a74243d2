//! The `boke` binary; the command line itself is in `cmd/`.

mod cmd;

// A build allocates many short strings on every thread; mimalloc's per-thread heaps make that
// markedly cheaper than glibc's allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cmd::main()
}

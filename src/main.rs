/// sled and the gRPC stack allocate on one thread and free on another; mimalloc
/// handles that pattern far better than glibc's malloc (measured with `huzhu bench`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    huzhu::cli::main()
}

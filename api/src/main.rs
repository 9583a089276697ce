//! The `upstate` binary: `upstate serve` and `upstate migrate`.

fn main() -> std::process::ExitCode {
    upstate_api::cli::main()
}

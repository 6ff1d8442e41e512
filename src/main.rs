//! Start-up only: parse the command line and run it.

use std::process::ExitCode;

fn main() -> ExitCode {
    malgrupp::cli::main_with_args(std::env::args_os())
}

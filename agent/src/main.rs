//! The `pstral` binary: parses the command line once and runs the chosen subcommand.

use agent::config::{Cli, Command};
use agent::startup::Application;
use clap::Parser;

/// jemalloc, configured in `.cargo/config.toml` to give freed memory back to the system within a second: with
/// glibc's allocator a 10,000-table index build left ~170 MB resident for the life of the process.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve(cli.serve));
    match command {
        Command::Serve(config) => {
            agent::telemetry::init(config.log_format);
            let application = Application::build(config).await?;
            application.run_until_stopped(agent::shutdown::signal()).await
        }
        Command::Index(config) => {
            agent::telemetry::init(config.log_format);
            agent::cli::index::run(config).await
        }
        Command::Eval(args) => agent::cli::eval::run(args).await,
        Command::Bench(command) => agent::cli::bench::run(command).await,
        Command::Guard(args) => agent::cli::guard::run(&args).await,
    }
}

//! `graph-sim`: the simulator as a command. All behaviour lives in the library.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use graph_sim::cli::Cli;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let Cli {
        port,
        ready_file,
        config,
    } = Cli::parse();
    if let Err(e) = config.validate() {
        eprintln!("graph-sim: {e}");
        return ExitCode::from(2);
    }
    let listener = match TcpListener::bind(("127.0.0.1", port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("graph-sim: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("graph-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &ready_file {
        if let Err(e) = graph_sim::cli::write_ready_file(path, addr) {
            eprintln!("graph-sim: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    // Tests start the simulator with --port 0 and read this line to find it.
    println!("listening on http://{addr}");
    let _ = std::io::stdout().flush();
    eprintln!(
        "graph-sim: seed {}; Page {} (token {}), Instagram {} (token {}); GET /__sim/accounts for more",
        config.seed,
        graph_sim::PAGE_ID,
        config.page_token,
        graph_sim::IG_ID,
        config.ig_token
    );
    match graph_sim::serve(config, listener).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("graph-sim: {e}");
            ExitCode::FAILURE
        }
    }
}

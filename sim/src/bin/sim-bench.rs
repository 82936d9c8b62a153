//! `sim-bench`: how many Graph list calls per second the simulator serves, next to a trivial
//! control endpoint measured in the same run, so the result reads as a ratio that does not
//! depend much on the machine.
//!
//! `cargo run --release -p graph-sim --bin sim-bench -- --seconds 5 --connections 32`

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1;
use hyper::{header, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Load generator for graph-sim: N keep-alive connections for a fixed time per endpoint.
#[derive(Debug, Parser)]
#[command(name = "sim-bench")]
struct Args {
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Seconds of load per endpoint (after a short warm-up).
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Measure a running simulator (http://127.0.0.1:PORT) instead of an in-process one.
    /// It should run with --rate 0.
    #[arg(long)]
    url: Option<String>,
    /// The Graph call to measure.
    #[arg(long, default_value = "/v26.0/me/conversations?platform=messenger")]
    path: String,
}

struct Run {
    ok: u64,
    failed: u64,
    elapsed: Duration,
}

impl Run {
    fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// One connection sending requests back to back until `until`; returns (ok, failed).
async fn connection(
    addr: SocketAddr,
    path: String,
    token: Option<&'static str>,
    until: Instant,
) -> Result<(u64, u64), Failure> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let host = addr.to_string();
    let (mut ok, mut failed) = (0, 0);
    while Instant::now() < until {
        let mut req = Request::get(path.as_str()).header(header::HOST, host.as_str());
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let resp = sender
            .send_request(req.body(Empty::<Bytes>::new())?)
            .await?;
        let good = resp.status().is_success();
        resp.into_body().collect().await?;
        if good {
            ok += 1;
        } else {
            failed += 1;
        }
    }
    Ok((ok, failed))
}

async fn load(args: &Args, addr: SocketAddr, path: &str, token: Option<&'static str>) -> Run {
    let go = |secs: f64| {
        let until = Instant::now() + Duration::from_secs_f64(secs);
        let tasks: Vec<_> = (0..args.connections)
            .map(|_| tokio::spawn(connection(addr, path.to_owned(), token, until)))
            .collect();
        async move {
            let started = Instant::now();
            let (mut ok, mut failed) = (0, 0);
            for t in tasks {
                match t.await {
                    Ok(Ok((o, f))) => {
                        ok += o;
                        failed += f;
                    }
                    Ok(Err(e)) => eprintln!("sim-bench: connection failed: {e}"),
                    Err(e) => eprintln!("sim-bench: task failed: {e}"),
                }
            }
            Run {
                ok,
                failed,
                elapsed: started.elapsed(),
            }
        }
    };
    go(0.5).await; // warm-up: connections, allocator, caches
    go(args.seconds).await
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let args = Args::parse();
    let mut _sim = None;
    let addr: SocketAddr = match &args.url {
        Some(url) => url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()?,
        None => {
            let mut config = graph_sim::Config::default();
            config.settings.rate = 0.0;
            let sim = graph_sim::spawn(config).await?;
            let addr = sim.addr();
            _sim = Some(sim);
            addr
        }
    };
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "graph-sim throughput: {} keep-alive connections, {} s per endpoint, rate limits off, {cpus} CPUs, {}",
        args.connections,
        args.seconds,
        if args.url.is_some() { "external server" } else { "in-process server" }
    );
    let list = load(&args, addr, &args.path, Some(graph_sim::PAGE_TOKEN)).await;
    let stats = load(&args, addr, "/__sim/stats", None).await;
    for (label, run) in [
        (format!("GET {}", args.path), &list),
        ("GET /__sim/stats (baseline)".to_owned(), &stats),
    ] {
        println!(
            "{label:<50} {:>9} ok {:>5} failed {:>10.0} req/s",
            run.ok,
            run.failed,
            run.per_second()
        );
    }
    println!(
        "list / baseline: {:.2}",
        list.per_second() / stats.per_second()
    );
    if list.failed > 0 || list.ok == 0 {
        return Err("the list call failed; is the simulator running with --rate 0?".into());
    }
    Ok(())
}

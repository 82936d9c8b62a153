//! The `graph-sim` command line: where to listen and where to announce it. Everything else is
//! a `Config` flag.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::config::Config;

/// A local stand-in for Meta's Graph API Conversations endpoints (Messenger and Instagram).
///
/// Binds 127.0.0.1 and prints `listening on http://127.0.0.1:PORT` as the first line on stdout.
/// Accounts: Page 106000000000001 "Kitty Café" (token sim-page-token; platform=messenger or
/// platform=instagram) and Instagram account 17841400000000001 "kittycafe" (token
/// sim-ig-token); `--pages N` adds Pages 106000000100000+k (token sim-page-token-k).
/// `GET /__sim/accounts` lists them; see sim/README.md for every endpoint.
#[derive(Debug, Parser)]
#[command(name = "graph-sim", version)]
pub struct Cli {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Once listening, write `http://127.0.0.1:PORT` to PATH (whole, never partly written).
    #[arg(long, value_name = "PATH")]
    pub ready_file: Option<PathBuf>,

    #[command(flatten)]
    pub config: Config,
}

/// Writes `http://ADDR` to `path` through a temporary file in the same folder and a rename, so
/// a reader polling for `path` never sees it half written.
pub fn write_ready_file(path: &Path, addr: SocketAddr) -> io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".{}.tmp", std::process::id()));
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, format!("http://{addr}"))?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_into_the_config() {
        let c = Cli::parse_from([
            "graph-sim",
            "--messages",
            "5",
            "--fault-drop",
            "1",
            "--rate",
            "0",
            "--ready-file",
            "/tmp/x",
        ]);
        assert_eq!(c.config.messages, 5..=5);
        let s = &c.config.settings;
        assert_eq!((s.faults.drop, s.rate), (1.0, 0.0));
        assert_eq!(c.ready_file.as_deref(), Some(Path::new("/tmp/x")));
        assert!(Cli::try_parse_from(["graph-sim", "--fault-slow", "1.5"]).is_err());
    }

    #[test]
    fn the_ready_file_holds_the_address_alone() {
        let dir = std::env::temp_dir().join(format!("graph-sim-ready-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ready");
        write_ready_file(&path, "127.0.0.1:4242".parse().unwrap()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "http://127.0.0.1:4242"
        );
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

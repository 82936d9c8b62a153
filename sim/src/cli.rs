//! The `graph-sim` command line: where to listen. Everything else is a `Config` flag.

use clap::Parser;

use crate::config::Config;

/// A local stand-in for Meta's Graph API Conversations endpoints (Messenger and Instagram).
///
/// Binds 127.0.0.1 and prints `listening on http://127.0.0.1:PORT` as the first line on stdout.
/// Accounts: Page 106000000000001 "Kitty Café" (token sim-page-token; platform=messenger or
/// platform=instagram) and Instagram account 17841400000000001 "kittycafe" (token
/// sim-ig-token). `GET /__sim/accounts` lists them; see sim/README.md for every endpoint.
#[derive(Debug, Parser)]
#[command(name = "graph-sim", version)]
pub struct Cli {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    #[command(flatten)]
    pub config: Config,
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
        ]);
        assert_eq!(c.config.messages, 5..=5);
        let s = &c.config.settings;
        assert_eq!((s.faults.drop, s.rate), (1.0, 0.0));
        assert!(Cli::try_parse_from(["graph-sim", "--fault-slow", "1.5"]).is_err());
    }
}

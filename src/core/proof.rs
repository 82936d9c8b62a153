//! `appsecret_proof`: hex HMAC-SHA256 of the token keyed with the app secret; the time-stamped
//! form signs `token|unix_time` and is valid for five minutes. The HMAC is `core::hmac`'s.

use serde::{Deserialize, Serialize};

use crate::core::hmac::hmac_sha256;

/// Sent with every request when configured. `Debug` hides the proof: with the token it
/// authenticates calls for five minutes.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct AppSecretProof {
    /// Hex HMAC-SHA256 of `token|time` keyed with the app secret.
    pub proof: String,
    /// Unix seconds, sent as `appsecret_time`.
    pub time: i64,
}

impl std::fmt::Debug for AppSecretProof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppSecretProof")
            .field("proof", &"[redacted]")
            .field("time", &self.time)
            .finish()
    }
}

/// What the time-stamped proof signs.
pub fn proof_message(access_token: &str, unix_time: i64) -> String {
    format!("{access_token}|{unix_time}")
}

/// The time-stamped `appsecret_proof` for `access_token` at `unix_time` (valid five minutes).
/// Compute it on a server; never ship an app secret to a browser.
///
/// ```no_run
/// let proof = graph_conversations::app_secret_proof("PAGE-TOKEN", "APP-SECRET", 1_700_000_000);
/// assert_eq!(proof.proof.len(), 64);
/// ```
pub fn app_secret_proof(access_token: &str, app_secret: &str, unix_time: i64) -> AppSecretProof {
    let message = proof_message(access_token, unix_time);
    AppSecretProof {
        proof: hex::encode(hmac_sha256(app_secret.as_bytes(), message.as_bytes())),
        time: unix_time,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_an_independent_hmac() {
        // python3 -c "import hmac,hashlib;print(hmac.new(b'secret',b'token|1700000000',hashlib.sha256).hexdigest())"
        let p = app_secret_proof("token", "secret", 1_700_000_000);
        assert_eq!(
            p.proof,
            "3c81f1bf0544f53adccadbaf135235bf73451aadede41a90a122c46e93dcae64"
        );
        assert_eq!(p.time, 1_700_000_000);
    }
}

//! HMAC-SHA256, the one implementation behind `appsecret_proof` ([`crate::core::proof`]) and
//! webhook signatures (`X-Hub-Signature-256: sha256=<hex>` over the raw request body).
//!
//! Rust users and the host use this module; the JS package does not ship it. Measured with
//! `make pkg` and `tests/runtimes/size.mjs` (each file `gzip -9`, budget 122,880 B): with the
//! HMAC computed in JS by WebCrypto (`hmacSha256` / `verifyHmacSha256` in `js/runtime.js`,
//! which `computeAppSecretProof` uses), the package is 120,241 B (wasm 112,066 + JS 8,175);
//! with this module reachable from the wasm (`app_secret_proof` and `verify_signature_header`
//! exported), the wasm grows by 4,498 B and the glue by 288 B, to 125,098 B: 2,218 B over the
//! budget. So JS keeps one WebCrypto implementation (`crypto.subtle.verify` compares in
//! constant time) and Rust keeps this one, both checked against the same vectors.
//!
//! Verification compares in constant time (`hmac::Mac::verify_slice`), so a forger learns nothing
//! from how long a rejection takes.

use ::hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header prefix Meta puts before the hex signature in `X-Hub-Signature-256`.
pub const SIGNATURE_PREFIX: &str = "sha256=";

fn keyed(key: &[u8], message: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(message);
    mac
}

/// HMAC-SHA256 of `message` keyed with `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    keyed(key, message).finalize().into_bytes().into()
}

/// Whether `tag` is the HMAC-SHA256 of `message` keyed with `key`, compared in constant time.
/// A tag of any other length than 32 bytes is rejected.
pub fn verify_hmac_sha256(key: &[u8], message: &[u8], tag: &[u8]) -> bool {
    keyed(key, message).verify_slice(tag).is_ok()
}

/// Whether a webhook's `X-Hub-Signature-256` header (`sha256=` and 64 hex digits, either case)
/// signs `body`, the raw request body, with the app secret. A missing or other prefix
/// (`sha1=`), a wrong length or a non-hex digit is a rejection, never a panic.
///
/// ```no_run
/// let body = br#"{"object":"page","entry":[]}"#;
/// let header = "sha256=0000"; // X-Hub-Signature-256, as Meta sent it
/// if !graph_conversations::verify_signature_header("APP-SECRET", body, header) {
///     // answer 401 and do not store anything
/// }
/// ```
pub fn verify_signature_header(app_secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex_tag) = header.trim().strip_prefix(SIGNATURE_PREFIX) else {
        return false;
    };
    let mut tag = [0u8; 32];
    hex::decode_to_slice(hex_tag, &mut tag).is_ok()
        && verify_hmac_sha256(app_secret.as_bytes(), body, &tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"object":"page","entry":[{"id":"1","time":1700000000123}]}"#;

    fn header(secret: &str) -> String {
        format!(
            "{SIGNATURE_PREFIX}{}",
            hex::encode(hmac_sha256(secret.as_bytes(), BODY))
        )
    }

    #[test]
    fn matches_an_independent_hmac() {
        // python3 -c "import hmac,hashlib;print(hmac.new(b'secret',b'token|1700000000',hashlib.sha256).hexdigest())"
        assert_eq!(
            hex::encode(hmac_sha256(b"secret", b"token|1700000000")),
            "3c81f1bf0544f53adccadbaf135235bf73451aadede41a90a122c46e93dcae64"
        );
    }

    #[test]
    fn rfc_4231_test_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert_eq!(hex::encode(mac), expected);
        let tag = hex::decode(expected).unwrap();
        assert!(verify_hmac_sha256(
            b"Jefe",
            b"what do ya want for nothing?",
            &tag
        ));
        assert!(!verify_hmac_sha256(
            b"Jefe",
            b"what do ya want for nothing!",
            &tag
        ));
        assert!(!verify_hmac_sha256(
            b"Jefe",
            b"what do ya want for nothing?",
            &tag[..31]
        ));
    }

    #[test]
    fn a_correct_signature_header_verifies_in_either_case() {
        let good = header("app-secret");
        assert!(verify_signature_header("app-secret", BODY, &good));
        let upper = format!("{SIGNATURE_PREFIX}{}", good[7..].to_ascii_uppercase());
        assert!(verify_signature_header("app-secret", BODY, &upper));
    }

    #[test]
    fn anything_else_is_rejected() {
        let good = header("app-secret");
        let hex_part = &good[SIGNATURE_PREFIX.len()..];
        let rejected = [
            header("another-secret"),
            hex_part.to_owned(),
            format!("sha1={hex_part}"),
            format!("SHA256={hex_part}"),
            good[..good.len() - 2].to_owned(),
            format!("{good}00"),
            format!("{}zz", &good[..good.len() - 2]),
            SIGNATURE_PREFIX.to_owned(),
            String::new(),
        ];
        for h in rejected {
            assert!(!verify_signature_header("app-secret", BODY, &h), "{h:?}");
        }
        assert!(!verify_signature_header("app-secret", b"tampered", &good));
    }
}

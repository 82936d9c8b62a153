//! Graph's error envelope and every error the simulator answers with.

use crate::json::{Json, Obj};

#[derive(Debug, Clone, PartialEq)]
pub struct GraphError {
    pub status: u16,
    pub code: u32,
    pub subcode: Option<u32>,
    pub kind: &'static str,
    pub message: String,
    pub transient: bool,
    /// The `WWW-Authenticate` error token for access-token failures.
    pub challenge: Option<&'static str>,
}

const OAUTH: &str = "OAuthException";
const METHOD: &str = "GraphMethodException";

impl GraphError {
    fn new(status: u16, code: u32, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            subcode: None,
            kind,
            message: message.into(),
            transient: false,
            challenge: None,
        }
    }

    fn subcode(mut self, subcode: u32) -> Self {
        self.subcode = Some(subcode);
        self
    }

    pub fn missing_token() -> Self {
        let mut e = Self::new(
            400,
            190,
            OAUTH,
            "An access token is required to request this resource.",
        );
        e.challenge = Some("invalid_request");
        e
    }

    pub fn invalid_token() -> Self {
        let mut e = Self::new(
            400,
            190,
            OAUTH,
            "Invalid OAuth access token - Cannot parse access token",
        );
        e.challenge = Some("invalid_token");
        e
    }

    pub fn appsecret_missing() -> Self {
        Self::new(
            400,
            100,
            METHOD,
            "API calls from the server require an appsecret_proof argument",
        )
    }

    pub fn appsecret_invalid() -> Self {
        Self::new(
            400,
            100,
            METHOD,
            "Invalid appsecret_proof provided in the API argument",
        )
    }

    /// Unknown object, another account's object, or a method the object does not support.
    pub fn unsupported(method: &str, id: &str) -> Self {
        Self::new(
            400,
            100,
            METHOD,
            format!(
                "Unsupported {} request. Object with ID '{id}' does not exist, cannot be loaded \
                 due to missing permissions, or does not support this operation. Please read the \
                 Graph API documentation at https://developers.facebook.com/docs/graph-api",
                method.to_ascii_lowercase()
            ),
        )
        .subcode(33)
    }

    pub fn invalid_param(message: impl Into<String>) -> Self {
        Self::new(400, 100, OAUTH, format!("(#100) {}", message.into()))
    }

    pub fn nonexisting_field(field: &str, node_type: &str) -> Self {
        Self::invalid_param(format!(
            "Tried accessing nonexisting field ({field}) on node type ({node_type})"
        ))
    }

    pub fn syntax(message: String) -> Self {
        Self::new(400, 2500, OAUTH, message)
    }

    pub fn deleted_message() -> Self {
        Self::new(
            400,
            9_000_001,
            OAUTH,
            "This Message has been deleted by the user or the business.",
        )
    }

    pub fn rate_limited(buc_mode: bool) -> Self {
        if buc_mode {
            Self::new(
                400,
                80006,
                OAUTH,
                "(#80006) There have been too many messenger api calls to this Page account. \
                 Wait a bit and try again.",
            )
        } else {
            Self::new(
                400,
                613,
                OAUTH,
                "(#613) Calls to this api have exceeded the rate limit.",
            )
            .subcode(2_534_040)
        }
    }

    pub fn reduce_data() -> Self {
        Self::new(
            500,
            1,
            OAUTH,
            "Please reduce the amount of data you're asking for, then retry your request",
        )
    }

    /// Graph's opaque answer to a request it could not serve.
    pub fn unknown() -> Self {
        Self::new(500, 1, OAUTH, "An unknown error has occurred.")
    }

    /// Code 2 as an overloaded back end sends it, with HTTP 503.
    pub fn unavailable() -> Self {
        let mut e = Self::new(503, 2, OAUTH, "Service temporarily unavailable");
        e.transient = true;
        e
    }

    pub fn transient() -> Self {
        let mut e = Self::new(
            500,
            2,
            OAUTH,
            "An unexpected error has occurred. Please retry your request later.",
        );
        e.transient = true;
        e
    }

    pub fn body(&self, fbtrace_id: &str) -> Obj {
        let mut e = Obj::new()
            .with("message", self.message.clone())
            .with("type", self.kind)
            .with("code", i64::from(self.code));
        if let Some(sub) = self.subcode {
            e.put("error_subcode", i64::from(sub));
        }
        if self.transient {
            e.put("is_transient", true);
        }
        e.put("fbtrace_id", fbtrace_id.to_owned());
        Obj::new().with("error", Json::Obj(e))
    }

    /// `OAuth "Facebook Platform" "invalid_token" "<message>"`, as Graph sends on token errors.
    pub fn www_authenticate(&self) -> Option<String> {
        self.challenge.map(|c| {
            format!(
                "OAuth \"Facebook Platform\" \"{c}\" \"{}\"",
                self.message.replace('"', "'")
            )
        })
    }
}

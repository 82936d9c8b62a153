//! TypeScript that wasm-bindgen cannot generate from Rust types: the `GraphApiError` class (defined
//! in `js/runtime.js`, since a wasm-bindgen class cannot extend `Error`), the helpers exported
//! from JS, and the interfaces `js/core.js` builds around the generated classes.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** What went wrong, coarse enough to act on. */
export type GraphApiErrorKind = ErrorKind;

/** Every failure rejects with this class (one identity in every runtime). */
export declare class GraphApiError extends Error {
  constructor(message: string, fields?: Partial<Omit<GraphApiError, "message" | "name">>);
  kind: GraphApiErrorKind;
  /** HTTP status, when there was a response. */
  status?: number;
  /** Graph `error.code`. */
  code?: number;
  /** Graph `error.error_subcode`. */
  subcode?: number;
  /** Graph `error.type`. */
  type?: string;
  fbtraceId?: string;
  /** From `X-Business-Use-Case-Usage` `estimated_time_to_regain_access`, when known. */
  retryAfterMs?: number;
  isTransient: boolean;
}

/** Fields of an unexpected shape, or unknown to these types, kept as Graph sent them. */
export type Extra = Record<string, unknown>;

/**
 * `appsecret_proof` for server runtimes (Workers, Deno, Node): hex HMAC-SHA256 of
 * `accessToken|time` keyed with the app secret, valid five minutes. Never ship an app secret
 * to a browser. `time` defaults to now (unix seconds).
 */
export declare function computeAppSecretProof(accessToken: string, appSecret: string, time?: number): Promise<AppSecretProof>;

/** What a client uses when its options leave a setting out (Meta's pace, default fields ...). */
export declare function clientDefaults(): Promise<ClientDefaults>;

/** Per-call options every operation accepts. */
export interface RequestOptions {
  /** Cancels the call (and any retry wait); it rejects with kind `"aborted"`. */
  signal?: AbortSignal;
}

/** `syncInbox` options that are functions or signals. */
export interface SyncCallbacks {
  /** Called after every synced conversation, and once when the sync ends. */
  onProgress?: (progress: SyncProgress) => void;
}

/** Every item of a list, fetched page by page as you iterate. */
export interface Paginated<T> extends AsyncIterable<T> {
  /** Whole pages instead of items. */
  pages(): AsyncIterable<Page<T>>;
  /** Collects up to `limit` items. */
  toArray(options: { limit: number }): Promise<T[]>;
}
"#;

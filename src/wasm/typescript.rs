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

/** Settings of a `WebhookReceiver`. */
export interface WebhookReceiverOptions {
  /** The app secret that signs deliveries (App settings > Basic). Required. */
  appSecret: string;
  /** More secrets tried after it: a rotation, or the Instagram app's secret (Instagram Login). */
  additionalSecrets?: string[];
  /** Enables the GET `hub.*` subscription handshake in `handle()`. */
  verifyToken?: string;
  /** The largest body accepted (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
}

/** A webhook body exactly as received: never re-serialised JSON (Meta signs its own bytes). */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/** Verifies and parses Meta's messaging webhook deliveries, for both platforms. */
export declare class WebhookReceiver {
  constructor(options: WebhookReceiverOptions);
  /**
   * A fetch-style handler. GET: the subscription handshake (200 with `hub.challenge`, else 403).
   * POST: verifies `X-Hub-Signature-256` over the raw bytes in constant time, parses, awaits the
   * handler, then answers 200; 401 bad or missing signature, 400 not Meta's envelope, 413 too
   * large, 500 when the handler throws (Meta then retries).
   */
  handle(request: Request, handler: (events: WebhookEvent[], context: { secretIndex: number }) => unknown): Promise<Response>;
  /** The events of a delivery; rejects with kind `invalid_signature` or `invalid_payload`. */
  receive(body: WebhookBody, signature: string | null | undefined): Promise<WebhookEvent[]>;
  /** Whether any configured secret signed the body. */
  verify(body: WebhookBody, signature: string | null | undefined): Promise<boolean>;
  /** Which secret signed the body: 0 for `appSecret`, then `additionalSecrets` in order; -1 for none. */
  matchSecret(body: WebhookBody, signature: string | null | undefined): Promise<number>;
}

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

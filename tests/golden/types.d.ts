/* tslint:disable */
/* eslint-disable */

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


/**
 * A file, image, video or template attached to a message.
 */
export type Attachment = { id?: string; name?: string; mime_type?: string; size?: number; file_url?: string; image_data?: ImageData; video_data?: VideoData; generic_template?: GenericTemplate; unparsed?: Extra } & Record<string, unknown>;

/**
 * A list Graph wraps as `{data: [...], paging}`: a page of an edge, or a nested list.
 */
export type Page<T> = { data: T[]; paging?: Paging } & Record<string, unknown>;

/**
 * A message label.
 */
export type Tag = { name?: string; unparsed?: Extra } & Record<string, unknown>;

/**
 * A person or business in a thread: `name`/`email` on Messenger, `username` on Instagram.
 */
export type Participant = { id: string; name?: string; email?: string; username?: string; unparsed?: Extra } & Record<string, unknown>;

/**
 * A reaction added or removed.
 */
export type ReactionAction = "react" | "unreact";

/**
 * A shared post or product; Graph includes only its link or media URL.
 */
export type Share = { id?: string; link?: string; name?: string; description?: string; unparsed?: Extra } & Record<string, unknown>;

/**
 * A story, by link and id (the link expires with the story).
 */
export type StoryRef = { link?: string; id?: string; unparsed?: Extra } & Record<string, unknown>;

/**
 * A template the business sent.
 */
export type GenericTemplate = { title?: string; subtitle?: string; media_url?: string; cta?: Record<string, unknown>; unparsed?: Extra } & Record<string, unknown>;

/**
 * A thread as a reader sees it, generic over the representation of its messages (`M`) and
 * participants (`P`): typed ([`InboxThread`]) or Graph JSON (`Value`), as for
 * [`WebhookEventOf`](crate::core::webhook::WebhookEventOf).
 */
export interface InboxThreadOf<M, P> {
    /**
     * `"<platform>:<accountId>:<userId>"`.
     */
    key: string;
    /**
     * Messenger or Instagram.
     */
    platform: Platform;
    /**
     * The Page or Instagram account.
     */
    accountId: string;
    /**
     * The customer.
     */
    userId: string;
    /**
     * The Graph conversation id, once known.
     */
    conversationId?: string;
    /**
     * The newest activity, in Graph's form.
     */
    updated_time: string;
    /**
     * From the newest sync.
     */
    participants?: P;
    /**
     * Newest first, each id once: edits applied, unsent removed, reactions in their final state.
     */
    messages: M[];
    /**
     * The customer read everything sent up to this time, unix ms.
     */
    readWatermark?: number;
}

/**
 * A thread as a reader sees it, its messages and participants typed.
 */
export type InboxThread = InboxThreadOf<Message, Page<Participant>>;

/**
 * A thread between the Page / Instagram account and one person.
 */
export type Conversation = { id: string; updated_time: string; link?: string; snippet?: string; message_count?: number; unread_count?: number; can_reply?: boolean; is_owner?: boolean; participants?: Page<Participant>; senders?: Page<Participant>; messages?: Page<Message>; unparsed?: Extra } & Record<string, unknown>;

/**
 * An Instagram story reply or mention.
 */
export type Story = { reply_to?: StoryRef; mention?: StoryRef; unparsed?: Extra } & Record<string, unknown>;

/**
 * An attached image.
 */
export type ImageData = { url?: string; preview_url?: string; width?: number; height?: number; max_width?: number; max_height?: number; render_as_sticker?: boolean; animated_gif_url?: string; animated_gif_preview_url?: string; unparsed?: Extra } & Record<string, unknown>;

/**
 * An attached video.
 */
export type VideoData = { url?: string; preview_url?: string; width?: number; height?: number; length?: number; video_type?: number; unparsed?: Extra } & Record<string, unknown>;

/**
 * Graph's paging block. URLs handed to callers never contain the access token.
 */
export type Paging = { cursors?: Cursors; next?: string; previous?: string; unparsed?: Extra } & Record<string, unknown>;

/**
 * How the access token travels.
 */
export type TokenTransport = "header" | "query";

/**
 * One business use case's usage for one business object (Page or Instagram account).
 */
export interface BusinessUseCaseUsage {
    /**
     * The Page or Instagram account the header keyed this entry by.
     */
    business_id: string;
    /**
     * The use case (`messenger`, `instagram` ...), Graph's `type`.
     */
    type?: string;
    /**
     * Percentage of the allowed calls used.
     */
    call_count?: number;
    /**
     * Percentage of the allowed CPU time used.
     */
    total_cputime?: number;
    /**
     * Percentage of the allowed total time used.
     */
    total_time?: number;
    /**
     * Minutes until calls are allowed again.
     */
    estimated_time_to_regain_access?: number;
}

/**
 * One message. Outside the newest 20 of a thread only `id` and `created_time` exist.
 */
export type Message = { id: string; created_time: string; from?: Participant; to?: Page<Participant>; message?: string; attachments?: Page<Attachment>; shares?: Page<Share>; story?: Story; reactions?: Page<Reaction>; reply_to?: ReplyTo; is_unsupported?: boolean; tags?: Page<Tag>; sticker?: string; unparsed?: Extra } & Record<string, unknown>;

/**
 * One messaging event of a webhook delivery, generic over the message's representation: the
 * typed [`Message`] ([`WebhookEvent`]) or its JSON (`Value`), which the wasm build works on so
 * that it does not ship a typed decoder of every Graph object.
 */
export type WebhookEventOf<M> = { platform: Platform; accountId: string; userId: string; timestamp: number; time: string; standby?: boolean; test?: boolean; raw: Record<string, unknown> } & WebhookEventDetailOf<M>;

/**
 * One messaging event of a webhook delivery, its message typed as the Graph [`Message`].
 */
export type WebhookEvent = WebhookEventOf<Message>;

/**
 * One reaction and who reacted with it.
 */
export type Reaction = { reaction?: string; users?: Participant[]; unparsed?: Extra } & Record<string, unknown>;

/**
 * One synced thread.
 */
export interface SyncedConversation {
    /**
     * With participants and `updated_time`.
     */
    conversation: Conversation;
    /**
     * Newest first: full details for the newest `detailsPerConversation`, `id` and
     * `created_time` for older ones.
     */
    messages: Message[];
    /**
     * When Graph was read for this conversation, unix ms (this machine's clock): its details
     * (texts, reactions) are the state at that time, which the merged `Inbox` weighs against
     * webhook events.
     */
    readAt?: number;
    /**
     * Opaque; pass as `checkpoint` to resume after this conversation. Under 16 KB (the done
     * threads of one list page and a cursor), so any store or queue message holds it.
     */
    checkpoint: string;
}

/**
 * Opaque page cursors.
 */
export type Cursors = { before?: string; after?: string; unparsed?: Extra } & Record<string, unknown>;

/**
 * Options of `new ConversationsClient(options)` / `Client::new`. Not `Serialize`: it holds the
 * token.
 */
export interface ClientOptions {
    /**
     * A Page access token, or an Instagram user token for `graph.instagram.com`.
     */
    accessToken: string;
    /**
     * Default: the latest Graph version this package knows (`v26.0`).
     */
    apiVersion?: string;
    /**
     * Default `https://graph.facebook.com`; `https://graph.instagram.com` for Instagram Login,
     * or a proxy / local simulator. Requests go nowhere else.
     */
    baseUrl?: string;
    /**
     * Precomputed on a server with `computeAppSecretProof`.
     */
    appSecretProof?: AppSecretProof;
    /**
     * Retries of transient and throttling failures (default 4).
     */
    maxRetries?: number;
    /**
     * Pacing per Page / Instagram account (default 2, Meta's limit); 0 turns it off.
     */
    requestsPerSecond?: number;
    /**
     * Per request (default 30000).
     */
    timeoutMs?: number;
    /**
     * `"header"` (default) or `"query"`.
     */
    tokenTransport?: TokenTransport;
    /**
     * Sends nothing before this time (unix ms): an earlier client's `next_call_at`, stored when
     * it went away (a Durable Object evicted between alarms), so a new one keeps the pace.
     */
    nextCallAt?: number;
}

/**
 * Options of `syncInbox(pageId, options)` / `Client::sync_inbox`.
 */
export interface SyncOptions {
    /**
     * Which inbox: required.
     */
    platform: Platform;
    /**
     * ISO 8601 or unix seconds: threads updated before it are not fetched again. Pass the
     * previous run's `nextSince`.
     */
    since?: string | number;
    /**
     * Messages per thread with full details (default and max 20: Meta keeps no more).
     */
    detailsPerConversation?: number;
    /**
     * Threads whose older message ids are paged in parallel (default 2), all within the pace.
     */
    concurrency?: number;
    /**
     * Resume after the conversation that carried this checkpoint.
     */
    checkpoint?: string;
    /**
     * The most threads per list request (default 100). A sync starts at Graph's default of 25
     * and adapts to what Graph serves (`core::sizing`).
     */
    pageSize?: number;
    /**
     * Bounds one run: once this many requests were sent and at least one conversation came
     * out, the run ends (`done` stays false) instead of sending another; resume with the last
     * item's `checkpoint`. For work that must fit a budget, such as one Workers invocation.
     */
    maxRequests?: number;
}

/**
 * Percentages of the platform allowance used (`X-App-Usage`, `X-Page-Usage`).
 */
export interface AppUsage {
    /**
     * Percentage of the allowed calls used.
     */
    call_count?: number;
    /**
     * Percentage of the allowed total time used.
     */
    total_time?: number;
    /**
     * Percentage of the allowed CPU time used.
     */
    total_cputime?: number;
}

/**
 * Present on replies; `is_self_reply` when replying to one's own message.
 */
export type ReplyTo = { mid?: string; is_self_reply?: boolean; unparsed?: Extra } & Record<string, unknown>;

/**
 * Sent with every request when configured. `Debug` hides the proof: with the token it
 * authenticates calls for five minutes.
 */
export interface AppSecretProof {
    /**
     * Hex HMAC-SHA256 of `token|time` keyed with the app secret.
     */
    proof: string;
    /**
     * Unix seconds, sent as `appsecret_time`.
     */
    time: number;
}

/**
 * Settings of an in-memory [`Inbox`].
 */
export interface InboxOptions {
    /**
     * How long a change may take to show in Graph reads, plus clock skew, in ms (default
     * 30,000): a sync read at `t` shows every change before `t - graphLagMs`.
     */
    graphLagMs: number | undefined;
}

/**
 * The last usage Graph reported, as `client.usage`.
 */
export interface Usage {
    /**
     * `X-App-Usage`.
     */
    app?: AppUsage;
    /**
     * `X-Page-Usage`.
     */
    page?: AppUsage;
    /**
     * `X-Business-Use-Case-Usage`, one entry per business object and use case.
     */
    business?: BusinessUseCaseUsage[];
}

/**
 * What a client uses when its options leave a setting out, for dashboards that show them
 * (`clientDefaults()` in JS).
 */
export interface ClientDefaults {
    /**
     * The Graph API version.
     */
    apiVersion: string;
    /**
     * The Graph host.
     */
    baseUrl: string;
    /**
     * The pace per Page or Instagram account.
     */
    requestsPerSecond: number;
    /**
     * Per request.
     */
    timeoutMs: number;
    /**
     * Retries of transient and throttling failures.
     */
    maxRetries: number;
    /**
     * The message fields `getMessage` asks for when none are named.
     */
    messageFields: string[];
}

/**
 * What an event says, discriminated by `type` (see [`WebhookEventOf`] for `M`).
 */
export type WebhookEventDetailOf<M> = { type: "message"; message: M } | { type: "echo"; message: M } | { type: "edit"; mid: string; text?: string; numEdit: number } | { type: "reaction"; mid: string; action: ReactionAction; reaction?: string; emoji?: string } | { type: "read"; mid?: string; watermark?: number } | { type: "delivery"; mids?: string[]; watermark?: number } | { type: "unsend"; mid: string } | { type: "postback"; mid?: string; title?: string; payload?: string } | { type: "referral"; referral: Record<string, unknown> } | { type: "optin"; optin: Record<string, unknown> } | { type: "handover"; action: string } | { type: "unknown" };

/**
 * What an event says, discriminated by `type`, its message typed as the Graph [`Message`].
 */
export type WebhookEventDetail = WebhookEventDetailOf<Message>;

/**
 * What went wrong, coarse enough to act on. The wire names are the JS `kind` strings (the
 * TypeScript union `ErrorKind`, aliased as `GraphApiErrorKind`, is generated from this enum).
 *
 * The single source of truth for what each kind means to a caller: [`ErrorKind::is_retryable`],
 * [`ErrorKind::is_transient`] and [`ErrorKind::is_sync_recoverable`]. New kinds may be added.
 */
export type ErrorKind = "invalid_argument" | "auth" | "permission" | "not_found" | "rate_limited" | "message_unavailable" | "reduce_data" | "transient" | "network" | "timeout" | "aborted" | "invalid_response" | "graph" | "invalid_signature" | "invalid_payload";

/**
 * Where a sync stands.
 */
export interface SyncProgress {
    /**
     * Conversations yielded so far.
     */
    conversations: number;
    /**
     * Messages yielded so far.
     */
    messages: number;
    /**
     * HTTP requests made by this sync, retries included.
     */
    requests: number;
    /**
     * Responses that said the rate limit was hit.
     */
    throttled: number;
    /**
     * Time spent waiting for the pace or for a throttle to lift.
     */
    rateLimitWaitMs: number;
    /**
     * Time since the sync started.
     */
    elapsedMs: number;
    /**
     * Threads per list request right now (it adapts to what Graph serves).
     */
    pageSize: number;
    /**
     * Nested messages per thread in list requests right now.
     */
    nestedLimit: number;
    /**
     * Pass as `since` to the next run to fetch only what changed.
     */
    nextSince?: string;
    /**
     * The sync has finished.
     */
    done: boolean;
}

/**
 * Which account's inbox a sync read: the id webhooks use as `entry.id` (the Page for
 * Messenger, the Instagram professional account for Instagram, also when read through a Page).
 */
export interface InboxAccount {
    /**
     * Messenger or Instagram.
     */
    platform: Platform;
    /**
     * The Page or Instagram account id.
     */
    accountId: string;
}

/**
 * Which inbox of a Page to read.
 */
export type Platform = "messenger" | "instagram";

/**
 * `conversations(pageId, options)`: every thread, page after page.
 */
export interface ConversationsOptions {
    /**
     * Which inbox: required (`None` is rejected as `invalid_argument`).
     */
    platform: Platform;
    /**
     * Graph's `folder` (`inbox`, `other`, `page_done`, `pending`, `spam`).
     */
    folder?: string;
    /**
     * Threads per request.
     */
    limit?: number;
    /**
     * Graph field names, nested expansion allowed.
     */
    fields?: string[];
}

/**
 * `findConversation(pageId, options)`: the thread with one person, or `null`.
 */
export interface FindConversationOptions {
    /**
     * Which inbox: required (`None` is rejected as `invalid_argument`).
     */
    platform: Platform;
    /**
     * The person's PSID (Messenger) or IGSID (Instagram).
     */
    userId: string;
    /**
     * Graph field names, nested expansion allowed.
     */
    fields?: string[];
}

/**
 * `getConversation(id, options)` and `getMessage(id, options)`.
 */
export interface GetOptions {
    /**
     * Graph field names, nested expansion allowed; `getMessage` asks for every documented
     * message field when none are named.
     */
    fields?: string[];
}

/**
 * `listConversations(pageId, options)`: one page of a Page's or Instagram account's threads.
 */
export interface ListConversationsOptions {
    /**
     * Which inbox: required (`None` is rejected as `invalid_argument`).
     */
    platform: Platform;
    /**
     * A PSID (Messenger) or IGSID (Instagram): only the thread with that person.
     */
    userId?: string;
    /**
     * Graph's `folder` (`inbox`, `other`, `page_done`, `pending`, `spam`).
     */
    folder?: string;
    /**
     * Threads per page.
     */
    limit?: number;
    /**
     * The page after this cursor (`paging.cursors.after`).
     */
    after?: string;
    /**
     * The page before this cursor (`paging.cursors.before`).
     */
    before?: string;
    /**
     * Graph field names, nested expansion allowed: `"messages.limit(20){id,message}"`.
     */
    fields?: string[];
}

/**
 * `listMessages(conversationId, options)`: one page of a thread's messages, newest first.
 */
export interface ListMessagesOptions {
    /**
     * Messages per page.
     */
    limit?: number;
    /**
     * The page after this cursor (`paging.cursors.after`).
     */
    after?: string;
    /**
     * The page before this cursor (`paging.cursors.before`).
     */
    before?: string;
    /**
     * Message fields (default `id`, `created_time`; details exist for the newest 20 only).
     */
    fields?: string[];
}

/**
 * `messages(conversationId, options)`: every message of a thread, page after page.
 */
export interface MessagesOptions {
    /**
     * Messages per request.
     */
    limit?: number;
    /**
     * Message fields (default `id`, `created_time`).
     */
    fields?: string[];
}


/**
 * A Conversations API client for JS.
 */
export class ConversationsClient {
    free(): void;
    /**
     * Every thread: `for await (const c of client.conversations(id, { platform }))`.
     */
    conversations(pageId: string, options: ConversationsOptions & RequestOptions): Paginated<Conversation>;
    /**
     * The thread with one person (PSID or IGSID), or `null`.
     */
    findConversation(pageId: string, options: FindConversationOptions & RequestOptions): Promise<Conversation | null>;
    /**
     * One thread (`GET /{conversation-id}`).
     */
    getConversation(conversationId: string, options?: GetOptions & RequestOptions): Promise<Conversation>;
    /**
     * A message's details; rejects with kind `"message_unavailable"` outside the newest 20.
     */
    getMessage(messageId: string, options?: GetOptions & RequestOptions): Promise<Message>;
    /**
     * One page of a Page's or Instagram account's threads (`GET /{page-id}/conversations`).
     */
    listConversations(pageId: string, options: ListConversationsOptions & RequestOptions): Promise<Page<Conversation>>;
    /**
     * One page of a thread's messages, newest first (default fields `id`, `created_time`).
     */
    listMessages(conversationId: string, options?: ListMessagesOptions & RequestOptions): Promise<Page<Message>>;
    /**
     * Every message of a thread, newest first.
     */
    messages(conversationId: string, options?: MessagesOptions & RequestOptions): Paginated<Message>;
    /**
     * `new ConversationsClient(options)`: validated at once; bad options throw `invalid_argument`.
     */
    constructor(options: ClientOptions);
    /**
     * A whole inbox, paced and resumable: `for await (const { conversation, messages,
     * checkpoint } of client.syncInbox(id, { platform }))`.
     */
    syncInbox(pageId: string, options: SyncOptions & SyncCallbacks & RequestOptions): AsyncIterable<SyncedConversation>;
    /**
     * When the next request may go at the earliest (unix ms, never before now): store it and
     * pass it as `nextCallAt` to a later client of the same account to keep Meta's pace.
     */
    readonly nextCallAt: number;
    /**
     * The last rate-limit usage Graph reported (`X-App-Usage`, `X-Business-Use-Case-Usage`).
     */
    readonly usage: Usage | undefined;
}

/**
 * Synced history and live webhook events merged into one exact inbox, in memory. Any number of
 * accounts; every method is synchronous.
 */
export class Inbox {
    free(): void;
    /**
     * Merges webhook events (as `WebhookReceiver` gave them), in any order, any number of
     * times.
     */
    applyEvents(events: WebhookEvent[]): void;
    /**
     * Merges one item `syncInbox` yielded, of `account`'s inbox: the id webhooks use as
     * `entry.id` (the Page for Messenger, the Instagram account for Instagram, also when synced
     * with a Page token).
     */
    applySync(item: SyncedConversation, account: InboxAccount): void;
    /**
     * Attaches the Graph conversation id of a thread first seen by webhook (from
     * `findConversation`); `false` for an unknown key.
     */
    linkConversation(key: string, conversation_id: string): boolean;
    /**
     * An empty inbox.
     */
    constructor(options?: InboxOptions);
    /**
     * The `since` of the next incremental `syncInbox` (the newest known activity, less a
     * minute), or `undefined` while empty. Read it before deliveries resume after a gap.
     */
    since(): string | undefined;
    /**
     * One thread by key (`"<platform>:<accountId>:<userId>"`), or `undefined`.
     */
    thread(key: string): InboxThread | undefined;
    /**
     * Every thread, newest activity first.
     */
    threads(): InboxThread[];
}

// @ts-check
// One message with details as both dashboards show it: text, media, shares, story replies and
// mentions, reactions, the message it replies to, and tags. Media URLs are Meta's signed CDN
// links; when one cannot be loaded (offline, expired) a labelled placeholder link stays in its
// place. Imports nothing from the package: the live inbox (www/live) uses it without the wasm.
import { formatBytes, h, longTime, timeEl } from "./dom.js";
import { displayName } from "./people.js";

/** Graph returns details (at least `from`) only for messages it still keeps. */
export function hasDetails(message) {
  return message.from !== undefined;
}

export function messageDomId(id) {
  return `msg-${id}`;
}

function placeholder(icon, label, href) {
  return h(
    "a",
    { class: "media-missing", href, target: "_blank", rel: "noopener noreferrer" },
    h("span", { "aria-hidden": "true" }, icon),
    h("span", {}, label, h("br"), h("small", {}, "media not reachable from here")),
  );
}

/**
 * An <img>/<video> that turns into a placeholder link when its URL does not load.
 * @param {"img" | "video"} kind
 * @param {{ src?: string, poster?: string, alt: string, href?: string, icon: string }} options
 */
function media(kind, { src, poster, alt, href, icon }) {
  const missing = () => placeholder(icon, alt, href);
  if (kind === "video") {
    const video = h("video", { class: "media", controls: true, preload: "metadata", poster, src, "aria-label": alt });
    video.addEventListener("error", () => video.replaceWith(missing()), { once: true });
    return video;
  }
  const img = h("img", { class: "media", src, alt, loading: "lazy" });
  const link = h("a", { href, target: "_blank", rel: "noopener noreferrer" }, img);
  img.addEventListener("error", () => link.replaceWith(missing()), { once: true });
  return link;
}

function attachment(a) {
  const label = [a.name ?? "attachment", a.mime_type, formatBytes(a.size)].filter(Boolean).join(" · ");
  if (a.image_data) {
    const img = a.image_data;
    return media("img", { src: img.preview_url ?? img.url, alt: a.name ?? "image", href: img.url, icon: "🖼" });
  }
  if (a.video_data) {
    const v = a.video_data;
    return media("video", { src: v.url, poster: v.preview_url, alt: a.name ?? "video", href: v.url, icon: "🎬" });
  }
  if (a.generic_template) {
    const t = a.generic_template;
    return h(
      "div",
      { class: "card" },
      h("strong", { dir: "auto" }, t.title ?? "Template"),
      t.subtitle ? h("div", { dir: "auto" }, t.subtitle) : null,
      t.cta?.url ? h("a", { href: t.cta.url, target: "_blank", rel: "noopener noreferrer" }, t.cta.title ?? t.cta.url) : null,
    );
  }
  if (a.file_url) {
    return h("a", { class: "file-link", href: a.file_url, target: "_blank", rel: "noopener noreferrer" }, `📎 ${label}`);
  }
  return h("span", { class: "msg-note" }, `📎 ${label}`);
}

function share(s) {
  return h(
    "div",
    { class: "card" },
    h("div", {}, "Shared: ", s.link ? h("a", { href: s.link, target: "_blank", rel: "noopener noreferrer", dir: "auto" }, s.name ?? s.link) : s.name ?? "a post"),
    s.description ? h("div", { class: "msg-note", dir: "auto" }, s.description) : null,
  );
}

function story(st) {
  const ref = st.reply_to ?? st.mention;
  if (!ref) return null;
  const what = st.reply_to ? "Replied to a story" : "Mentioned the account in a story";
  return h(
    "div",
    { class: "msg-note" },
    st.reply_to ? "↩ " : "@ ",
    ref.link ? h("a", { href: ref.link, target: "_blank", rel: "noopener noreferrer" }, what) : what,
    ref.id ? ` (story ${ref.id})` : "",
  );
}

export function reactions(list, nameOf = displayName) {
  return h(
    "div",
    { class: "reactions", "aria-label": "Reactions" },
    list.map((r) => {
      const who = (r.users ?? []).map(nameOf).join(", ");
      return h("span", { class: "reaction", title: who ? `${r.reaction} by ${who}` : r.reaction }, r.reaction, who ? ` ${who}` : "");
    }),
  );
}

function replyTo(reply) {
  const self = reply.is_self_reply ? " (their own message)" : "";
  return h(
    "div",
    { class: "msg-note" },
    "↪ In reply to ",
    h("a", { href: `#${messageDomId(reply.mid)}`, class: "msg-id", dataset: { replyTo: reply.mid } }, reply.mid),
    self,
  );
}

export function head(from, created) {
  return h("div", { class: "msg-head" }, h("span", { dir: "auto" }, from), timeEl(created, longTime));
}

/**
 * A message with details. `nameOf` names a sender or reactor (the live inbox looks up webhook
 * copies' bare `{id}`s among the thread's participants); `attrs` adds attributes to the row.
 * @param {any} m
 * @param {{ isSelf(id: string | undefined): boolean }} identity
 * @param {{ nameOf?: (who: any) => string, attrs?: Record<string, any> }} [options]
 */
export function renderDetailed(m, identity, { nameOf = displayName, attrs = {} } = {}) {
  const self = identity.isSelf(m.from?.id);
  const parts = [];
  if (m.reply_to?.mid) parts.push(replyTo(m.reply_to));
  if (m.story) parts.push(story(m.story));
  if (m.message) parts.push(h("div", { class: "msg-text", dir: "auto" }, m.message));
  for (const a of m.attachments?.data ?? []) parts.push(attachment(a));
  if (m.sticker) parts.push(media("img", { src: m.sticker, alt: "sticker", href: m.sticker, icon: "🐱" }));
  for (const s of m.shares?.data ?? []) parts.push(share(s));
  if (m.is_unsupported) parts.push(h("div", { class: "msg-empty" }, "A message type the API does not support"));
  if (parts.length === 0) parts.push(h("div", { class: "msg-empty" }, "(no text)"));
  if (m.reactions?.data?.length) parts.push(reactions(m.reactions.data, nameOf));
  const tags = (m.tags?.data ?? []).map((t) => h("span", { class: "tag" }, t.name));
  return h(
    "li",
    { class: `msg${self ? " self" : ""}`, id: messageDomId(m.id), dataset: { id: m.id, state: "details" }, ...attrs },
    head(nameOf(m.from), m.created_time),
    h("div", { class: "msg-bubble" }, parts, tags.length ? h("div", { class: "tags" }, tags) : null),
  );
}

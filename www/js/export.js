// @ts-check
// The synced inbox as NDJSON: one `{conversation, messages}` JSON line per conversation.

export function toNdjson(synced) {
  return synced.map(({ conversation, messages }) => JSON.stringify({ conversation, messages })).join("\n") + "\n";
}

export function download(filename, text, type = "application/x-ndjson") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportName(accountId, platform, now = new Date()) {
  const stamp = now.toISOString().replace(/[:.]/g, "-").replace(/-\d\dZ$/, "Z");
  return `inbox-${accountId}-${platform}-${stamp}.ndjson`;
}

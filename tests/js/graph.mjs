// What the simulator serves, read with plain HTTP (not through the package under test), to check
// what a page shows (the demo dashboard's lists and export, the README's snippets) against.

const THROTTLE_CODES = new Set([4, 17, 32, 613, 80006]);

export function graph(url, token, version = "v26.0") {
  async function get(path, params = {}) {
    const query = new URLSearchParams(params);
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${url}/${version}/${path}?${query}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.json();
      if (res.ok) return body;
      if (THROTTLE_CODES.has(body.error?.code) && attempt < 20) {
        await new Promise((r) => setTimeout(r, 600));
        continue;
      }
      throw new Error(`GET ${path}: HTTP ${res.status} ${JSON.stringify(body.error)}`);
    }
  }

  /** Every item of an edge, following `after` cursors. */
  async function all(path, params) {
    const items = [];
    let after;
    do {
      const page = await get(path, { ...params, ...(after && { after }) });
      items.push(...page.data);
      after = page.paging?.next ? page.paging.cursors?.after : undefined;
    } while (after);
    return items;
  }

  return {
    get,
    all,
    /** The inbox's threads, newest first, each with the ids of all its messages (newest first). */
    async inbox(account, platform) {
      const threads = await all(`${account}/conversations`, {
        platform,
        fields: "updated_time,participants,message_count,messages.limit(100){id}",
        limit: "50",
      });
      for (const t of threads) {
        if (t.messages?.paging?.next) throw new Error(`thread ${t.id} has over 100 messages: raise the nested limit`);
        t.messageIds = (t.messages?.data ?? []).map((m) => m.id);
      }
      return threads;
    },
  };
}

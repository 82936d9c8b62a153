// @ts-check
// What the page learns when it is served by graph-sim (`make demo`): the simulator's accounts,
// from its control API `/__sim/accounts`. Against real Graph none of this exists and the
// dashboard works without it.

/** The simulator's accounts, or null when the page is not served by graph-sim. */
export async function simulatorAccounts(origin) {
  try {
    const res = await fetch(new URL("/__sim/accounts", origin));
    if (!res.ok) return null;
    const accounts = await res.json();
    return Array.isArray(accounts) ? accounts : null;
  } catch {
    return null;
  }
}

/** One preset per account and inbox: Page × {messenger, instagram}, Instagram Login × instagram. */
export function presetsOf(accounts) {
  return accounts.flatMap((a) => {
    const owner = a.name ?? `@${a.username}`;
    const instagramLogin = a.host === "instagram";
    return (a.platform_inboxes ?? []).map((platform) => ({
      label: instagramLogin
        ? `${owner} · Instagram Login (me)`
        : `${owner} · ${platform === "messenger" ? "Messenger" : "Instagram via the Page"}`,
      accessToken: a.token,
      account: instagramLogin ? "me" : a.id,
      platform,
    }));
  });
}

/**
 * How many threads the simulator lists for a token's inbox, for the sync progress bar (Graph
 * itself does not say how many threads an inbox has). Read fresh: added messages can change it.
 */
export async function simulatorThreadTotal(origin, accessToken, platform) {
  const accounts = await simulatorAccounts(origin);
  const account = accounts?.find((a) => a.token === accessToken);
  return account?.inboxes?.find((i) => i.platform === platform)?.listed_threads;
}

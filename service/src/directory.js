// Directory: one Durable Object that knows every connected account, its tenant and how it
// stands (what `GET /api/accounts` lists), and which jobs the sweeper must re-send. Accounts
// write here on state changes and at most once a second otherwise (account.js), so one object
// serves thousands of accounts; it holds no token and no inbox.

import { DurableObject } from "cloudflare:workers";

/** The one Directory object. */
export const directory = (env) => env.DIRECTORY.get(env.DIRECTORY.idFromName("directory"));

export class Directory extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.db = ctx.storage.sql;
    this.db.exec(`CREATE TABLE IF NOT EXISTS accounts (
      account_id TEXT PRIMARY KEY, tenant TEXT NOT NULL, platform TEXT NOT NULL, status TEXT NOT NULL,
      progress TEXT, threads INTEGER NOT NULL DEFAULT 0, last_event_at INTEGER, error TEXT,
      job TEXT, connected_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`);
    this.db.exec("CREATE INDEX IF NOT EXISTS accounts_by_tenant ON accounts (tenant, account_id)");
  }

  /**
   * An account's summary, as its object reports it: the first report lists the account. (Which
   * tenant owns an account is the account object's to decide; a report never moves it.)
   */
  async update({ accountId, tenant, platform, status, progress, threads, lastEventAt, error, job }) {
    const now = Date.now();
    this.db.exec(
      `INSERT INTO accounts (account_id, tenant, platform, status, progress, threads, last_event_at, error, job, connected_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id) DO UPDATE SET platform = excluded.platform, status = excluded.status,
         progress = excluded.progress, threads = excluded.threads, last_event_at = excluded.last_event_at,
         error = excluded.error, job = excluded.job, updated_at = excluded.updated_at
       WHERE accounts.tenant = excluded.tenant`,
      accountId, tenant, platform, status, JSON.stringify(progress ?? null), threads, lastEventAt ?? null,
      error ?? null, job ? JSON.stringify(job) : null, now, now,
    );
  }

  async list(tenant) {
    return this.db
      .exec("SELECT * FROM accounts WHERE tenant = ? ORDER BY connected_at, account_id", tenant)
      .toArray()
      .map(summary);
  }

  async remove(accountId, tenant) {
    this.db.exec("DELETE FROM accounts WHERE account_id = ? AND tenant = ?", accountId, tenant);
  }

  /**
   * Jobs of accounts queued or syncing with no report for `stalledMs`: their queue message or
   * alarm was lost (the cron re-sends them; harmless if not).
   */
  async stalled(stalledMs) {
    return this.db
      .exec("SELECT account_id, job FROM accounts WHERE status IN ('queued', 'syncing') AND job IS NOT NULL AND updated_at <= ?", Date.now() - stalledMs)
      .toArray()
      .map((r) => ({ accountId: r.account_id, ...JSON.parse(r.job) }));
  }

  /** Every account whose sync is done (catch-up syncs heal gaps in webhook deliveries). */
  async live() {
    return this.db.exec("SELECT account_id FROM accounts WHERE status = 'live'").toArray().map((r) => r.account_id);
  }
}

function summary(row) {
  const account = {
    accountId: row.account_id,
    platform: row.platform,
    status: row.status,
    progress: row.progress ? JSON.parse(row.progress) : null,
    threads: row.threads,
    lastEventAt: row.last_event_at,
  };
  if (row.error) account.error = row.error;
  return account;
}

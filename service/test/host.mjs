// The service as a process of its own (the demo runs it so; `make demo` can kill and restart it):
// startService with its state in SERVICE_STATE, on SERVICE_PORT (0: a free one), with the
// wrangler vars and secrets in SERVICE_VARS (JSON). Prints `listening on URL` once ready. Runs
// the cron trigger at start-up (a restart lost the local queue's messages; the sweeper re-sends
// them) and every SERVICE_CRON_MS after, as Cloudflare runs it on schedule.
import { startService } from "./harness.mjs";

const service = await startService({
  persist: process.env.SERVICE_STATE,
  port: Number(process.env.SERVICE_PORT || 0),
  vars: JSON.parse(process.env.SERVICE_VARS || "{}"),
});
console.log(`listening on ${service.url}`);

const every = Number(process.env.SERVICE_CRON_MS || 60_000);
const cron = async () => {
  try {
    await service.scheduled();
  } catch (error) {
    console.error(`cron: ${error.message}`);
  }
};
await cron();
const timer = setInterval(cron, every);

const stop = async () => {
  clearInterval(timer);
  await service.dispose().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

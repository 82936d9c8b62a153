// Headless Debian Chromium for the browser tests, as root and offline: every host but 127.0.0.1
// fails to resolve at once (no waiting on Meta's CDN or Google's update services).
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const tools = fileURLToPath(new URL("../../tools/package.json", import.meta.url));

export function launchChromium() {
  const { chromium } = createRequire(tools)("playwright-core");
  // Playwright gives each launch a fresh temporary profile (it refuses --user-data-dir).
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
}

// syncInbox against Graphs with a hidden size limit (benches/heavy_sync.rs, virtual time):
// requests and wall time per failure style and threshold against the lower bound. Writes
// "## syncInbox under a hidden size limit" of BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { machine, root, writeSection } from "./bench_common.mjs";

const table = execFileSync("cargo", ["bench", "--quiet", "--bench", "heavy_sync"], {
  cwd: root,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
writeSection("## syncInbox under a hidden size limit", `Measured with \`make bench\` (\`benches/heavy_sync.rs\`) on ${machine()}.\n\n${table}`);

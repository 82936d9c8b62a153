// Shared by the benchmarks: BENCHMARKS.md sections, medians, the packed package.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../tests/js/launch.mjs";

export { root };

/** Replaces (or appends) the section that starts with `heading` in BENCHMARKS.md. */
export function writeSection(heading, body) {
  const file = join(root, "BENCHMARKS.md");
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    current = "# Benchmarks\n";
  }
  const text = `${heading}\n\n${body.trim()}\n`;
  const start = current.indexOf(`${heading}\n`);
  let next;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${text}`;
  } else {
    const after = current.indexOf("\n## ", start + heading.length);
    next = current.slice(0, start) + text + (after < 0 ? "" : current.slice(after));
  }
  writeFileSync(file, next);
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const machine = () =>
  `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${(process.env.BENCH_MACHINE ?? "the 2-core build machine")}`;

// The README's "Use it" section, generated from use-it.md with each {{snippets/...}} replaced by
// that file, so the README shows exactly the code `make test-runtimes` runs.
//   node tests/runtimes/readme.mjs --check   exit 1 if README.md differs (run by test-runtimes.sh)
//   node tests/runtimes/readme.mjs --write   rewrite README.md between the markers
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = new URL("./", import.meta.url);
const readmePath = fileURLToPath(new URL("../../README.md", here));
const START = "<!-- use-it:start -->";
const END = "<!-- use-it:end -->";
const LANG = { mjs: "js", js: "js", ts: "ts", html: "html" };

export function render() {
  const template = readFileSync(new URL("use-it.md", here), "utf8");
  return template.replace(/\{\{(snippets\/[^}]+)\}\}/g, (_, path) => {
    const code = readFileSync(new URL(path, here), "utf8").trimEnd();
    const lang = LANG[path.split(".").pop()] ?? "";
    return `\`\`\`${lang}\n${code}\n\`\`\``;
  }).trimEnd();
}

const readme = readFileSync(readmePath, "utf8");
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error(`README.md needs ${START} ... ${END}`);
const current = readme.slice(start + START.length, end);
const wanted = `\n${render()}\n`;

if (process.argv.includes("--write")) {
  writeFileSync(readmePath, readme.slice(0, start + START.length) + wanted + readme.slice(end));
  console.log("README.md: use-it section written");
} else if (current !== wanted) {
  console.error("README.md's use-it section differs from tests/runtimes/use-it.md + snippets: run node tests/runtimes/readme.mjs --write");
  process.exit(1);
} else {
  console.log("README.md's use-it section matches the snippets");
}

// vite.config.js
import { defineConfig } from "vite";

export default defineConfig({
  // `vite dev` pre-bundles dependencies into .vite/deps, away from the package's .wasm;
  // excluding the package keeps `new URL("…wasm", import.meta.url)` pointing at the file.
  optimizeDeps: { exclude: ["graph-conversations"] },
});

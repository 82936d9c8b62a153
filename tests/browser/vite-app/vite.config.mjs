// Vite's defaults (build.target, no optimizeDeps settings): what a user starts with.
export default {
  logLevel: "warn",
  build: { outDir: "dist", emptyOutDir: true },
};

// Loaded before the Worker in the test: production Workers refuse to compile wasm from bytes
// ("Wasm code generation disallowed by embedder"), local workerd does not, so the test makes
// every byte-compiling path throw the same way and records how the wasm was instantiated.
const seen = { violations: [], instancesFromModule: 0 };
globalThis.__wasmGuard = seen;
const W = WebAssembly;
const refuse = (what) => {
  seen.violations.push(what);
  throw new W.CompileError(`Wasm code generation disallowed by embedder (${what})`);
};
W.compile = () => refuse("WebAssembly.compile");
W.compileStreaming = () => refuse("WebAssembly.compileStreaming");
W.instantiateStreaming = () => refuse("WebAssembly.instantiateStreaming");
const instantiate = W.instantiate;
W.instantiate = (source, imports) =>
  source instanceof W.Module ? instantiate(source, imports) : refuse("WebAssembly.instantiate(bytes)");
W.Module = new Proxy(W.Module, { construct: () => refuse("new WebAssembly.Module(bytes)") });
W.Instance = new Proxy(W.Instance, {
  construct(target, args) {
    if (args[0] instanceof W.Module) seen.instancesFromModule++;
    return Reflect.construct(target, args);
  },
});

// Access tokens at rest: AES-256-GCM under the SHA-256 of the TOKEN_KEY secret (a long random
// string), with the account id as additional data, so a sealed token only opens for its own
// account.

async function tokenKey(secret) {
  if (!secret) throw new Error("TOKEN_KEY is not set");
  const raw = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`graph-conversations tokens v1:${secret}`));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** `token` encrypted for `accountId`: "v1.<iv>.<ciphertext>" (base64). */
export async function sealToken(secret, accountId, token) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(accountId) },
    await tokenKey(secret),
    new TextEncoder().encode(token),
  );
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** The token `sealToken` sealed for `accountId`; throws when the key or account differ. */
export async function openToken(secret, accountId, sealed) {
  const [version, iv, data] = sealed.split(".");
  if (version !== "v1") throw new Error("unknown sealed token format");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData: new TextEncoder().encode(accountId) },
    await tokenKey(secret),
    fromBase64(data),
  );
  return new TextDecoder().decode(plain);
}

/**
 * The Graph hosts an account may be read from, by index: GRAPH_BASE_URL (every account's
 * default) and INSTAGRAM_BASE_URL (accounts connected with Instagram Login tokens). Tokens go to
 * no other host.
 */
export const graphHosts = (env) => [env.GRAPH_BASE_URL || "https://graph.facebook.com", env.INSTAGRAM_BASE_URL || "https://graph.instagram.com"];

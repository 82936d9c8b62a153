// The secrets the simulator and every receiver of the webhooks end-to-end test share.
export const APP_SECRET = "e2e-app-secret";
export const VERIFY_TOKEN = "e2e-verify-token";

// The receiver's Inbox takes a Graph read at t to show every change before t - GRAPH_LAG_MS:
// graph-sim shows a change at once and shares this machine's clock, so 1 s is plenty (the
// package's default, 30 s, allows for Graph's propagation and clock skew). The last sync starts
// that long after the last change, so it outranks every webhook the outage lost (a reaction, an
// edit) and removes every message it no longer lists (an unsend, which Messenger never sends).
export const GRAPH_LAG_MS = 1000;

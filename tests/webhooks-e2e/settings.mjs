// The secrets the simulator and every receiver of the webhooks end-to-end test share.
export const APP_SECRET = "e2e-app-secret";
export const VERIFY_TOKEN = "e2e-verify-token";

import { ConfigError, env, type Env } from "@/lib/env";
import { stampPeerAddresses } from "@/lib/server/peer-address";

/**
 * What the server does before answering anyone: validate the configuration (a bad value is the
 * operator's to fix: one line, no stack trace, no server) and stamp peer addresses for the proxy.
 */
export function prepareServer(): Env {
  let config: Env;
  try {
    config = env();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`saltzer: ${error.message}`);
    process.exit(2);
  }
  stampPeerAddresses();
  return config;
}

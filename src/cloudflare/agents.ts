import * as http from "node:http";
import * as https from "node:https";

let agents: { http: http.Agent; https: https.Agent } | undefined;

/**
 * Keep-alive agents shared by every request of this process, created on first use (never at import time:
 * the dynamic provider's serialized code must not capture live sockets). TLS verification stays on; this
 * package offers no way to turn it off. Extra CAs come from `NODE_EXTRA_CA_CERTS`, and axios routes through
 * `HTTPS_PROXY` / `HTTP_PROXY` (a CONNECT tunnel for https, so TLS stays end to end) unless `NO_PROXY` matches.
 */
export function keepAliveAgents(): { http: http.Agent; https: https.Agent } {
  agents ??= {
    http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
    // Explicit, so NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot turn verification off for us.
    https: new https.Agent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: true }),
  };
  return agents;
}

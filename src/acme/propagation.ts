import { Resolver } from "node:dns/promises";
import { AcmeOrderError } from "../errors";

/** Wait between two rounds of questions to the resolvers. */
const POLL_MS = 250;

/**
 * Asks every resolver (`host:port`) for each record's TXT values until all of them are visible everywhere, so the
 * CA is told to validate only once its own resolvers can see what Cloudflare was given. Gives up with an
 * `AcmeOrderError` naming the first record still missing when `timeoutMs` passes.
 */
export async function waitForTxtRecords(
  records: readonly { name: string; content: string }[],
  resolvers: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const clients = resolvers.map((server) => {
    const resolver = new Resolver({ timeout: Math.min(2000, timeoutMs), tries: 1 });
    resolver.setServers([server]);
    return { server, resolver };
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = await firstMissing(records, clients);
    if (missing === undefined) return;
    if (Date.now() + POLL_MS > deadline) {
      throw new AcmeOrderError({
        identifier: missing.name.replace(/^_acme-challenge\./, ""),
        detail:
          `the TXT record ${missing.name} was not visible to the DNS resolver ${missing.server} within ` +
          `${timeoutMs} ms (propagationTimeoutMs), so the CA was not asked to validate`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function firstMissing(
  records: readonly { name: string; content: string }[],
  clients: readonly { server: string; resolver: Resolver }[],
): Promise<{ name: string; server: string } | undefined> {
  for (const { server, resolver } of clients) {
    for (const { name, content } of records) {
      const values = await resolver.resolveTxt(name).catch(() => [] as string[][]);
      if (!values.some((chunks) => chunks.join("") === content)) return { name, server };
    }
  }
  return undefined;
}

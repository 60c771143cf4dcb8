import * as pulumi from "@pulumi/pulumi";
import { getCustomCsrCertificates as getWithPulumi } from "../../sdk";
import { getCustomCsrCertificates } from "../../sdk/lookup";
import { startEmulator, type CloudflareEmulator } from "../../src/emulator";
import { InvalidCustomCsrArgsError } from "../../src/errors";

/** getCustomCsrCertificates against the emulator: which certificate serves each custom CSR, and orphans. */
const SUBJECT = { country: "US", state: "CA", locality: "SF", organization: "Acme" };
const DAY = 86_400_000;
let cf: CloudflareEmulator;
let zoneCsr: string;
let accountCsr: string;

beforeAll(async () => {
  cf = await startEmulator();
  zoneCsr = (
    await cf.createCsr({ zoneId: cf.zoneId }, { ...SUBJECT, common_name: "www.acme.dev", sans: ["www.acme.dev"] })
  ).id;
  accountCsr = (
    await cf.createCsr(
      { accountId: cf.accountId },
      { ...SUBJECT, common_name: "shop.acme.dev", sans: ["shop.acme.dev"] },
    )
  ).id;
  const inDays = (days: number) => new Date(Date.now() + days * DAY + 3_600_000).toISOString();
  cf.addCertificate(cf.zoneId, {
    kind: "custom_ssl",
    id: "ssl-soon",
    hosts: ["www.acme.dev"],
    custom_csr_id: zoneCsr,
    expires_on: inDays(10),
    issuer: "Let's Encrypt",
  });
  cf.addCertificate(cf.zoneId, {
    kind: "custom_hostname",
    id: "hn-shop",
    hosts: ["shop.acme.dev"],
    custom_csr_id: accountCsr,
    expires_on: inDays(80),
    status: "active",
  });
  cf.addCertificate(cf.zoneId, {
    kind: "custom_ssl",
    id: "ssl-orphan",
    hosts: ["old.acme.dev"],
    custom_csr_id: "deleted-csr",
    expires_on: inDays(40),
  });
  cf.addCertificate(cf.zoneId, {
    kind: "custom_ssl",
    id: "ssl-own-key",
    hosts: ["key.acme.dev"],
    expires_on: inDays(40),
  });
  // Enough certificates to need three pages of 50.
  for (let i = 0; i < 110; i++) {
    cf.addCertificate(cf.zoneId, {
      kind: "custom_ssl",
      id: `bulk-${i}`,
      hosts: [`b${i}.acme.dev`],
      custom_csr_id: zoneCsr,
      expires_on: inDays(60),
    });
  }
});
afterAll(() => cf.stop());

const options = () => ({ apiToken: cf.token, baseUrl: cf.baseUrl });

test("ties every certificate to its CSR by custom_csr_id, zone and account CSRs alike, with days left and orphans", async () => {
  cf.clearRequests();
  const { csrs, orphans } = await getCustomCsrCertificates({ zoneId: cf.zoneId, accountId: cf.accountId }, options());
  const zone = csrs.find((csr) => csr.customCsrId === zoneCsr);
  const account = csrs.find((csr) => csr.customCsrId === accountCsr);
  expect(zone).toMatchObject({ zoneId: cf.zoneId, commonName: "www.acme.dev" });
  expect(zone?.certificates).toHaveLength(111);
  expect(zone?.certificates[0]).toEqual({
    kind: "custom_ssl",
    id: "ssl-soon",
    hosts: ["www.acme.dev"],
    issuer: "Let's Encrypt",
    status: "active",
    expiresOn: expect.any(String),
    daysLeft: 10,
    customCsrId: zoneCsr,
  });
  expect(account).toMatchObject({
    accountId: cf.accountId,
    certificates: [{ kind: "custom_hostname", id: "hn-shop", daysLeft: 80 }],
  });
  expect(orphans.map((orphan) => orphan.id)).toEqual(["ssl-orphan"]);
  const all = [...csrs.flatMap((csr) => csr.certificates), ...orphans].map((c) => c.id);
  expect(all).not.toContain("ssl-own-key");
  const pages = cf.requests.filter((r) => r.path.endsWith("/custom_certificates")).map((r) => r.query.page);
  expect(pages).toEqual(["1", "2", "3"]);
});

test("a zone alone lists the zone's CSRs only: the account CSR's certificate is an orphan there", async () => {
  const { csrs, orphans } = await getCustomCsrCertificates({ zoneId: cf.zoneId }, options());
  expect(csrs.map((csr) => csr.customCsrId)).toEqual([zoneCsr]);
  expect(orphans.map((orphan) => orphan.id).sort()).toEqual(["hn-shop", "ssl-orphan"]);
});

test("bad arguments are refused before any request", async () => {
  cf.clearRequests();
  await expect(getCustomCsrCertificates({ zoneId: "not-a-zone" }, options())).rejects.toBeInstanceOf(
    InvalidCustomCsrArgsError,
  );
  await expect(getCustomCsrCertificates({ zoneId: cf.zoneId, accountId: 7 as never }, options())).rejects.toThrow(
    /accountId/,
  );
  expect(cf.requests).toEqual([]);
});

test("under setMocks the main entry sends nothing and calls the mocks with its token", async () => {
  const calls: string[] = [];
  await pulumi.runtime.setMocks({
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => {
      calls.push(args.token);
      return { csrs: [], orphans: [] };
    },
  });
  cf.clearRequests();
  await expect(getWithPulumi({ zoneId: cf.zoneId }, options())).resolves.toEqual({ csrs: [], orphans: [] });
  expect(calls).toEqual(["pulumi-cloudflare-custom-csr:index:getCustomCsrCertificates"]);
  expect(cf.requests).toEqual([]);
});

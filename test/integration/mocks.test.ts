import * as pulumi from "@pulumi/pulumi";
import {
  CustomCsr,
  FUNCTION_TOKENS,
  getCustomCsr,
  getCustomCsrOutput,
  getCustomCsrs,
  getCustomCsrsOutput,
  InvalidCustomCsrArgsError,
  type CustomCsrResult,
} from "../../sdk";
import { isolateCloudflareEnv, MARKER_TOKEN } from "../support/emulator";
import { startRecordingServer, type RecordingServer } from "../reliability/support/recording-server";

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const ZONE = "0123456789abcdef0123456789abcdef";
const CSR_ID = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752";

/** What a test's mocks return for a CSR: a made-up result, nothing from any server. */
function fakeCsr(customCsrId: string, where: { accountId?: string; zoneId?: string }): Partial<CustomCsrResult> {
  return {
    customCsrId,
    ...where,
    pem: `PEM of ${customCsrId}`,
    sans: ["www.example.dev"],
    commonName: "www.example.dev",
    keyType: "rsa2048",
  };
}

let server: RecordingServer;
const calls: pulumi.runtime.MockCallArgs[] = [];
isolateCloudflareEnv();

beforeAll(async () => {
  // Everything a real lookup would need points at a server that records every request: none may arrive.
  server = await startRecordingServer();
  process.env.CLOUDFLARE_API_TOKEN = MARKER_TOKEN;
  process.env.CLOUDFLARE_BASE_URL = server.baseUrl;
  pulumi.runtime.setAllConfig({ "cloudflare:apiToken": MARKER_TOKEN, "cloudflare:baseUrl": server.baseUrl });
  await pulumi.runtime.setMocks({
    newResource: (args) => ({
      id: `${args.name}-id`,
      state: { ...args.inputs, pem: `PEM of ${String(args.inputs.customCsrId)}` },
    }),
    call: (args) => {
      calls.push(args);
      if (args.token === FUNCTION_TOKENS.getCustomCsr) return fakeCsr(args.inputs.customCsrId, args.inputs);
      if (args.token === FUNCTION_TOKENS.getCustomCsrs) {
        if (args.inputs.name === "wrong-shape") return { csrs: [] };
        return { results: [fakeCsr("first", args.inputs), fakeCsr("second", args.inputs)] };
      }
      throw new Error(`unexpected token ${args.token}`);
    },
  });
});
afterAll(() => server.stop());
beforeEach(() => {
  calls.length = 0;
  server.clear();
});
afterEach(() => expect(server.targets).toEqual([]));

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("under pulumi.runtime.setMocks", () => {
  it("getCustomCsr calls the mocks with its token and arguments, and returns what they return", async () => {
    const csr = await getCustomCsr({ customCsrId: CSR_ID, accountId: ACCOUNT });
    expect(csr).toEqual(fakeCsr(CSR_ID, { accountId: ACCOUNT }));
    expect(calls).toEqual([
      expect.objectContaining({
        token: "pulumi-cloudflare-custom-csr:index:getCustomCsr",
        inputs: { customCsrId: CSR_ID, accountId: ACCOUNT },
      }),
    ]);
  });

  it("getCustomCsrOutput resolves its inputs and calls the mocks", async () => {
    const csr = await valueOf(
      getCustomCsrOutput({ customCsrId: pulumi.output(CSR_ID), zoneId: Promise.resolve(ZONE) }),
    );
    expect(csr.pem).toBe(`PEM of ${CSR_ID}`);
    expect(calls.map((c) => c.inputs)).toEqual([{ customCsrId: CSR_ID, zoneId: ZONE }]);
  });

  it("getCustomCsrs calls the mocks with its token and filters, and returns their results array", async () => {
    const csrs = await getCustomCsrs({ zoneId: ZONE, san: "www.example.dev", commonName: undefined });
    expect(csrs.map((c) => c.customCsrId)).toEqual(["first", "second"]);
    expect(calls).toEqual([
      expect.objectContaining({
        token: "pulumi-cloudflare-custom-csr:index:getCustomCsrs",
        inputs: { zoneId: ZONE, san: "www.example.dev" },
      }),
    ]);
  });

  it("getCustomCsrsOutput resolves its inputs and calls the mocks", async () => {
    const csrs = await valueOf(getCustomCsrsOutput({ accountId: pulumi.output(ACCOUNT), name: "web" }));
    expect(csrs).toHaveLength(2);
    expect(calls.map((c) => c.inputs)).toEqual([{ accountId: ACCOUNT, name: "web" }]);
  });

  it("never passes a credential or option to the mocks", async () => {
    await getCustomCsr(
      { customCsrId: CSR_ID, accountId: ACCOUNT },
      { apiToken: "secret-option-token", configNamespace: "cloudflare-prod" },
    );
    expect(JSON.stringify(calls)).not.toContain("secret-option-token");
    expect(JSON.stringify(calls)).not.toContain(MARKER_TOKEN);
    expect(JSON.stringify(calls)).not.toContain("cloudflare-prod");
  });

  it("still rejects invalid arguments and options before calling the mocks", async () => {
    await expect(getCustomCsr({ customCsrId: "a/b", accountId: ACCOUNT })).rejects.toThrow(InvalidCustomCsrArgsError);
    await expect(getCustomCsrs({ accountId: ACCOUNT, zoneId: ZONE })).rejects.toThrow(InvalidCustomCsrArgsError);
    await expect(getCustomCsrs({ accountId: ACCOUNT }, { configNamespace: "a:b" })).rejects.toThrow(/configNamespace/);
    expect(calls).toEqual([]);
  });

  it("says what a getCustomCsrs mock must return when it returns something else", async () => {
    await expect(getCustomCsrs({ accountId: ACCOUNT, name: "wrong-shape" })).rejects.toThrow(
      'The mocks\' call for pulumi-cloudflare-custom-csr:index:getCustomCsrs must return { results: [...] } (the CSRs), not {"csrs":[]}.',
    );
  });

  it("feeds mocked lookups into resources like any invoke", async () => {
    const [csr] = await getCustomCsrs({ accountId: ACCOUNT, san: "www.example.dev" });
    const resource = new CustomCsr("web", { customCsrId: csr.customCsrId, accountId: ACCOUNT });
    expect(await valueOf(resource.pem)).toBe("PEM of first");
  });
});

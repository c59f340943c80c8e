// Nothing secret in any output: a password change and a rejected OEM key go through the same
// transports the dashboard uses (tRPC over its fetch handler, the tRPC procedure layer) into the
// services, while every log line (at trace level, with production's logger options), console call
// and write to stdout/stderr of this process is captured. Neither secret may appear anywhere.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { createCaller } from "@/server/api/root";
import { resetConfigForProcess } from "@/server/config";
import { createLogger, getLogger, setLoggerForProcess } from "@/server/log";
import { createApiClient, issueApiToken } from "@/server/services/api-clients/api-clients";
import { createSite } from "@/server/services/inventory/sites";
import { resolveOperatorSession } from "@/server/services/operators/sign-in";
import { randomMpan } from "@/server/services/batteries/test-support";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg } from "@/test/fixtures";

const output: string[] = [];
const originalLogger = getLogger();
const restore: (() => void)[] = [];
let sim: SimulatorHandle;

function capture(target: Record<string, unknown>, name: string): void {
  const original = target[name] as (...args: unknown[]) => unknown;
  target[name] = (...args: unknown[]) => {
    output.push(args.map((arg) => (typeof arg === "string" ? arg : arg instanceof Uint8Array ? Buffer.from(arg).toString() : JSON.stringify(arg) ?? String(arg))).join(" "));
    return original.apply(target, args);
  };
  restore.push(() => (target[name] = original));
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5 });
  process.env.GIVENERGY_BASE_URL = sim.baseUrls.givenergy;
  process.env.LOG_LEVEL = "trace";
  resetConfigForProcess();
  setLoggerForProcess(createLogger(new Writable({ write: (chunk: Buffer, _enc, done) => (output.push(chunk.toString()), done()) })));
  for (const name of ["log", "info", "warn", "error", "debug", "trace"]) capture(console as unknown as Record<string, unknown>, name);
  capture(process.stdout as unknown as Record<string, unknown>, "write");
  capture(process.stderr as unknown as Record<string, unknown>, "write");
});

afterAll(async () => {
  for (const undo of restore.reverse()) undo();
  setLoggerForProcess(originalLogger);
  await sim.stop();
});

async function trpcMutation(path: string, input: unknown, token: string): Promise<{ status: number; text: string }> {
  const request = new Request(`http://127.0.0.1/api/trpc/${path}?batch=1`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ 0: superjson.serialize(input) }),
  });
  const response = await trpcPost(request);
  return { status: response.status, text: await response.text() };
}

describe("secrets in output", () => {
  it("a password change and a rejected OEM key leave no trace of either in logs, console or stdout/stderr", async () => {
    const org = await createTestOrg("secrets");
    const newPassword = `new-password-${randomUUID()}`;
    const rejectedKey = `gv-rejected-key-${randomUUID()}`;

    // The dashboard's password form: first with a wrong current password, then for real.
    const session = await resolveOperatorSession(org.adminId, org.orgId, 0);
    const caller = createCaller({ operator: session, service: org.admin });
    await expect(caller.account.changePassword({ currentPassword: `not-it-${newPassword}`, newPassword })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await caller.account.changePassword({ currentPassword: org.adminPassword, newPassword });

    // An OEM key the OEM refuses, through tRPC's HTTP handler as an internal tool would send it.
    const client = await createApiClient(org.admin, { name: "Back office", scopes: ["entities:read", "entities:write"] });
    const { accessToken } = await issueApiToken({ clientId: client.clientId, clientSecret: client.clientSecret });
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const answer = await trpcMutation("batteries.submitCredential", { siteId: site.id, oem: "givenergy", tokenType: "API_KEY", accessToken: rejectedKey }, accessToken);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/givenergy rejected the credential/i);
    expect(answer.text).not.toContain(rejectedKey);

    const all = output.join("\n");
    expect(all.length).toBeGreaterThan(0); // the capture saw the flow's log lines
    for (const secret of [newPassword, org.adminPassword, rejectedKey, accessToken, client.clientSecret]) expect(all).not.toContain(secret);
  }, 60_000);
});

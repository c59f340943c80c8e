import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { issueApiToken } from "@/server/services/api-clients/api-clients";
import { resolveOperatorSession, verifyOperatorCredentials } from "@/server/services/operators/sign-in";
import { randomMpan } from "@/server/services/batteries/test-support";
import { getMeterByMpan } from "@/server/services/meters/meter-registry";
import { createTestOrg } from "@/test/fixtures";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");
const cli = (...args: string[]) =>
  run(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/cli.ts"), ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: "silent" } });

describe("npm run cli", () => {
  it("lists its commands", async () => {
    const { stdout } = await cli("help");
    expect(stdout).toContain("create-api-client");
  });

  it("creates an API client and prints one JSON line whose credentials work", async () => {
    const org = await createTestOrg("cli");
    const { stdout } = await cli("create-api-client", "--org", org.slug, "--scopes", "all");
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0] ?? "") as { client_id: string; client_secret: string };
    const token = await issueApiToken({ clientId: printed.client_id, clientSecret: printed.client_secret });
    expect(token.scopes).toContain("entities:write");
  }, 60_000);

  it("creates the first admin with the password chosen on stdin, or a one-time one that must be changed", async () => {
    const suffix = Date.now().toString(36);
    const chosen = `chosen-password-${suffix}`;
    const withChosen = await runWithStdin(["create-admin", "--org-name", `Grid Co ${suffix}`, "--email", `first-${suffix}@example.test`, "--password-stdin"], `${chosen}\n`);
    expect(withChosen.code).toBe(0);
    expect(withChosen.stdout).not.toContain(chosen);
    await expect(verifyOperatorCredentials({ email: `first-${suffix}@example.test`, password: chosen })).resolves.toMatchObject({ email: `first-${suffix}@example.test` });

    const { stdout } = await cli("create-admin", "--org-name", `Other Co ${suffix}`, "--email", `otp-${suffix}@example.test`);
    const oneTime = /One-time password: (\S+)/.exec(stdout)?.[1] ?? "";
    const signedIn = await verifyOperatorCredentials({ email: `otp-${suffix}@example.test`, password: oneTime });
    const session = await resolveOperatorSession(signedIn.operatorId, undefined, signedIn.sessionVersion);
    expect(session).toMatchObject({ mustChangePassword: true, current: { role: "admin", orgSlug: `other-co-${suffix}` } });

    // Never over an existing account or organisation.
    await expect(cli("create-admin", "--org-name", `Third ${suffix}`, "--email", `OTP-${suffix}@example.test`)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("already exists") });
  }, 90_000);

  it("refuses unknown scopes and organisations with a usage message", async () => {
    await expect(cli("create-api-client", "--org", "no-such-org", "--scopes", "all")).rejects.toMatchObject({ code: 2 });
    await expect(cli("create-admin", "--org-name", "X", "--email", "x@example.test", "--pasword-stdin")).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown option '--pasword-stdin'[\s\S]*Usage: npm run cli -- create-admin/) });
    const org = await createTestOrg("cli-bad");
    await expect(cli("create-api-client", "--org", org.slug, "--scopes", "entities:read,launch:missiles")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("launch:missiles") });
  }, 60_000);

  it("loads a meter registry file, after a dry run that writes nothing", async () => {
    const org = await createTestOrg("cli-meters");
    const mpan = randomMpan();
    const file = path.join(mkdtempSync(path.join(tmpdir(), "registry-")), "registry.csv");
    writeFileSync(file, `mpan,address,postcode,half_hourly_settled,supplier_mpid,supplier_name,eligible_markets\n${mpan},"3 Mill Lane, York, YO1 7HH",YO1 7HH,true,ABCD,Example Energy,wholesale\n`);
    const dry = await cli("load-meter-registry", "--org", org.slug, "--file", file, "--dry-run", "true");
    expect(JSON.parse(dry.stdout)).toMatchObject({ rows: 1, new: 1, updated: 0, problems: [] });
    await expect(getMeterByMpan(org.admin, { mpan })).rejects.toThrow(/not found/);
    const loaded = await cli("load-meter-registry", "--org", org.slug, "--file", file);
    expect(JSON.parse(loaded.stdout)).toEqual({ loaded: 1, created: 1, updated: 0 });
    expect(await getMeterByMpan(org.admin, { mpan })).toMatchObject({ halfHourlySettled: true, supplierName: "Example Energy" });
  }, 60_000);

  it("plans a battery for a JSON request on stdin, and explains a bad one", async () => {
    const request = {
      battery: { capacityKwh: 10, maxChargeKw: 3, maxDischargeKw: 3, roundTripEfficiency: 0.9, socMinPct: 5, socMaxPct: 100, dischargeFloorPct: 20, startSocPct: 50, endSocMinPct: 50 },
      slots: [
        { start: "2026-01-12T00:00:00Z", end: "2026-01-12T00:30:00Z", importPencePerKwh: 5, exportPencePerKwh: 4, loadKwh: 0.3 },
        { start: "2026-01-12T00:30:00Z", end: "2026-01-12T01:00:00Z", importPencePerKwh: 40, exportPencePerKwh: 15, loadKwh: 0.6 },
      ],
    };
    const good = await runWithStdin(["plan-battery"], JSON.stringify(request));
    expect(good.code).toBe(0);
    const plan = JSON.parse(good.stdout) as { ok: boolean; plan: { slots: { mode: string }[] } };
    expect(plan.ok).toBe(true);
    expect(plan.plan.slots.map((s) => s.mode)).toEqual(["IMPORT_FOCUS", "EXPORT_FOCUS"]);
    const bad = await runWithStdin(["plan-battery"], JSON.stringify({ battery: {} }));
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, error: { code: "validation" } });
    const notJson = await runWithStdin(["plan-battery"], "{nope");
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("not valid JSON");
  }, 60_000);

  it("plans charging for the example request documented in docs/planner.md", async () => {
    const doc = readFileSync(path.join(root, "docs/planner.md"), "utf8");
    const example = doc.slice(doc.indexOf("### Example"));
    const request = /```json\n([\s\S]*?)\n```/.exec(example)?.[1] ?? "";
    const answer = await runWithStdin(["plan-charging"], request);
    expect(answer.code).toBe(0);
    const printed = JSON.parse(answer.stdout) as { ok: boolean; answer: Record<string, unknown> };
    expect(printed.ok).toBe(true);
    // The fields the doc's answer table lists, no more and no fewer.
    expect(Object.keys(printed.answer).sort()).toEqual(["baseline_cost_pence", "cost_pence", "method", "saving_pence", "sessions", "site_import_limit_kw"]);

    // A bad request prints the error exactly in the documented shape.
    const documented = JSON.parse(/A bad request answers[^`]*```json\n([\s\S]*?)\n```/.exec(doc)?.[1] ?? "null") as { ok: boolean; error: Record<string, unknown> };
    const bad = await runWithStdin(["plan-charging"], JSON.stringify({ now: "yesterday" }));
    expect(bad.code).toBe(2);
    const refused = JSON.parse(bad.stdout) as { ok: boolean; error: Record<string, unknown> };
    expect(refused.ok).toBe(documented.ok);
    expect(Object.keys(refused).sort()).toEqual(Object.keys(documented).sort());
    expect(Object.keys(refused.error).sort()).toEqual(Object.keys(documented.error).sort());
    expect(refused.error.code).toBe(documented.error.code);
  }, 60_000);
});

function runWithStdin(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/cli.ts"), ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: "silent" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { issueApiToken } from "@/server/services/api-clients/api-clients";
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

  it("refuses unknown scopes and organisations with a usage message", async () => {
    await expect(cli("create-api-client", "--org", "no-such-org", "--scopes", "all")).rejects.toMatchObject({ code: 2 });
    const org = await createTestOrg("cli-bad");
    await expect(cli("create-api-client", "--org", org.slug, "--scopes", "entities:read,launch:missiles")).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("launch:missiles") });
  }, 60_000);
});

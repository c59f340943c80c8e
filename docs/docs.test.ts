// The reference tables in the docs are copies of the code's: these tests fail when the code gains
// or changes an entry the docs do not show (a permission, an environment variable or its default).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PERMISSIONS, PERMISSION_NAMES } from "@/server/domain/permissions";

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), "utf8");

/** The cells of the markdown table row whose first cell names `name` in backticks. */
function rowNaming(markdown: string, name: string): string[] | undefined {
  const line = markdown.split("\n").find((l) => l.startsWith("|") && (l.split("|")[1] ?? "").includes(`\`${name}\``));
  return line
    ?.split("|")
    .slice(1, -1)
    .map((cell) => cell.trim());
}

describe("docs/decisions/0001-permissions.md", () => {
  const decision = read("./decisions/0001-permissions.md");

  it.each(PERMISSION_NAMES)("shows %s as the permission table has it", (name) => {
    const rule = PERMISSIONS[name] as (typeof PERMISSIONS)[typeof name] & { everyToken?: true };
    const scope = rule.everyToken ? "every valid token, whatever its scopes" : rule.scope ? `\`${rule.scope}\`` : "closed to tokens";
    expect(rowNaming(decision, name)).toEqual([`\`${name}\``, rule.description, rule.role ?? "—", scope, rule.householder ? "yes" : ""]);
  });
});

describe("README.md configuration table", () => {
  const readme = read("../README.md");
  const source = read("../server/config/index.ts");
  const schema = source.slice(source.indexOf("const envSchema = z.object({"), source.indexOf("\n});", source.indexOf("const envSchema")));
  const variables = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+): (.*)$/gm)].map(([, name = "", definition = ""]) => ({ name, definition }));
  // NODE_ENV is set by the npm scripts, not by whoever installs Flexfleet.
  const documented = variables.filter((v) => v.name !== "NODE_ENV");

  it("reads the variables from the schema", () => {
    expect(documented.map((v) => v.name)).toEqual(expect.arrayContaining(["PORT", "TRUSTED_PROXIES", "JOBS_POLL_CONCURRENCY"]));
  });

  it.each(documented.map((v) => [v.name, v.definition] as const))("has a row for %s with its default", (name, definition) => {
    const row = rowNaming(readme, name);
    expect(row, `no row for ${name}`).toBeDefined();
    // `.default(3600)`, `.default("k1")`, `jobConcurrency(8)`: the row's default column shows the value.
    const fallback = /(?:\.default|jobConcurrency|jobBatchSize)\((?:"([^"]*)"|([\d_.]+))\),?$/.exec(definition);
    const value = fallback?.[1] ?? fallback?.[2]?.replace(/_/g, "");
    if (value !== undefined) expect(row?.[1]).toContain(value);
  });
});

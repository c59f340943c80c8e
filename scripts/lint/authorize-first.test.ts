import { RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";
// @ts-expect-error: a plain ESM lint rule without type declarations
import { authorizeFirst } from "./authorize-first.mjs";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

tester.run("flexfleet/authorize-first", authorizeFirst, {
  valid: [
    // Authorized first.
    `export async function createSite(ctx: ServiceContext, input: unknown) { authorize(ctx, "sites:write"); await ctx.db.insert(sites).values(input); }`,
    `export const recordThing = async (ctx: ServiceContext) => { authorize(ctx, "consent:write"); await ctx.db.transaction(async () => undefined); };`,
    // Reads are not this rule's business; functions without a context are not service entry points.
    `export async function listSites(ctx: ServiceContext) { return ctx.db.select().from(sites); }`,
    `export async function openConsentPage(token: string) { return db.insert(x); }`,
    // Not exported: a private helper of the file.
    `async function writeCurve(ctx: ServiceContext) { await ctx.db.insert(curves); }`,
  ],
  invalid: [
    // Writes without asking.
    { code: `export async function addMember(ctx: ServiceContext, input: unknown) { await ctx.db.insert(members).values(input); }`, errors: [{ messageId: "missing" }] },
    // A write verb is enough, even when the write happens in a helper.
    { code: `export async function approveRewardEntries(ctx: ServiceContext) { return approveAll(ctx); }`, errors: [{ messageId: "missing" }] },
    // authorize must come first, before anything is read or parsed.
    { code: `export async function updateSite(ctx: ServiceContext, input: unknown) { const parsed = parse(input); authorize(ctx, "sites:write"); await ctx.db.update(sites).set(parsed); }`, errors: [{ messageId: "missing" }] },
    // ... and must check this context, not another.
    { code: `export async function deleteAsset(ctx: ServiceContext) { authorize(other, "sites:write"); await ctx.db.delete(assets); }`, errors: [{ messageId: "missing" }] },
    { code: `export const storeCurve = async (ctx: ServiceContext) => { await ctx.db.transaction(async () => undefined); };`, errors: [{ messageId: "missing" }] },
  ],
});

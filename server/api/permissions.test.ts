// Every tRPC procedure (enumerated from the router) and every REST route (from the published
// route list and the handlers by operation) called as each actor: admin, operator, viewer, a
// token with each scope, and another organisation's admin and token. The permission table says
// what each may do; a procedure or route without a declared permission fails here.
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "@/server/api/root";
import { createTrpcContext, type ProcedureMeta, type TrpcContext } from "@/server/api/trpc";
import { restHandlersByOperationId } from "@/server/api/rest/handlers-by-operation";
import { publishedRoutes } from "@/server/api/rest/openapi-document";
import { randomMpan, tokenFor } from "@/server/api/rest/test-support";
import { API_SCOPES, type ApiScope } from "@/server/domain/api-scopes";
import { isGranted, type Permission, type PermissionHolder } from "@/server/domain/permissions";
import { createApiClient } from "@/server/services/api-clients/api-clients";
import { recordConsent } from "@/server/services/consent/consent-ledger";
import { createAsset } from "@/server/services/inventory/assets";
import { exportSitesCsv } from "@/server/services/inventory/csv-export";
import { sendEmail } from "@/server/services/mail/mail";
import { addMember } from "@/server/services/members/members";
import { approveRewardEntries, exportPayoutRun } from "@/server/services/rewards/ledger";
import { createSite } from "@/server/services/inventory/sites";
import type { OperatorSession } from "@/server/services/operators/sign-in";
import type { ServiceContext } from "@/server/services/context";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { setCoordinationSimulation } from "@/server/services/energy-coordination/simulation";

const SCOPES = Object.keys(API_SCOPES) as ApiScope[];

interface Actor {
  name: string;
  holder: PermissionHolder;
  /** Acting for the organisation that owns the data below, or for another one. */
  ownOrg: boolean;
  trpc: () => Promise<TrpcContext>;
  token?: string;
}

let org: TestOrg;
let other: TestOrg;
let site: { id: string; mpan: string; email: string };
let asset: { id: string; externalId: string };
const actors: Actor[] = [];

function operatorActor(name: string, ctx: ServiceContext, role: "admin" | "operator" | "viewer", ownOrg: boolean): Actor {
  if (ctx.actor.type !== "operator") throw new Error("not an operator");
  const session: OperatorSession = {
    operatorId: ctx.actor.operatorId,
    email: ctx.actor.label,
    name,
    mustChangePassword: false,
    current: { orgId: ctx.orgId, orgSlug: "test", orgName: "Test", role },
    memberships: [],
  };
  return { name, holder: { type: "operator", role }, ownOrg, trpc: async () => ({ operator: session, service: ctx }) };
}

function tokenActor(name: string, token: string, scopes: readonly string[], ownOrg: boolean): Actor {
  return {
    name,
    holder: { type: "api_client", scopes },
    ownOrg,
    token,
    trpc: () => createTrpcContext({ headers: new Headers({ authorization: `Bearer ${token}` }) }),
  };
}

beforeAll(async () => {
  org = await createTestOrg("perm-table");
  other = await createTestOrg("perm-other");
  const email = `householder-${randomUUID().slice(0, 8)}@example.test`;
  const created = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", email });
  site = { id: created.id, mpan: created.mpan, email };
  const battery = await createAsset(org.admin, { siteId: site.id, externalId: `perm-battery-${randomUUID().slice(0, 8)}`, type: "battery", properties: { power_kw: 4, capacity_kwh: 10 } });
  asset = { id: battery.id, externalId: battery.externalId };

  const operator = await org.addOperator("operator");
  const viewer = await org.addOperator("viewer");
  actors.push(operatorActor("admin", org.admin, "admin", true), operatorActor("operator", operator.ctx, "operator", true), operatorActor("viewer", viewer.ctx, "viewer", true));
  for (const scope of SCOPES) actors.push(tokenActor(`token with ${scope}`, await tokenFor(org, [scope]), [scope], true));
  actors.push(operatorActor("another organisation's admin", other.admin, "admin", false));
  actors.push(tokenActor("another organisation's token with every scope", await tokenFor(other, SCOPES), SCOPES, false));
}, 120_000);

/** Organisation A's identifiers: none may appear in anything another organisation is answered. */
function leaksOwnData(text: string): string | null {
  for (const value of [site.id, site.mpan, site.email, asset.id, asset.externalId]) if (text.includes(value)) return value;
  return null;
}

// Queries get the real site and asset; mutations get ids that match nothing (or inputs the
// procedure rejects), so allowed callers change nothing the other checks rely on.
function trpcInput(path: string): unknown {
  const none = randomUUID();
  const inputs: Record<string, unknown> = {
    "members.list": {},
    "audit.list": {},
    "sites.list": {},
    "sites.get": { siteId: site.id },
    "sites.eligibility": { siteId: site.id },
    "sites.assets": { siteId: site.id },
    "sites.update": { siteId: none },
    "apiClients.revoke": { id: none },
    "members.changeRole": { operatorId: none, role: "viewer" },
    "members.remove": { operatorId: none },
    "siteImport.preview": { csv: "mpan,postcode\n" },
    "siteDetails.meters": { siteId: site.id },
    "siteDetails.asset": { assetId: asset.id },
    "siteDetails.updateAsset": { assetId: none },
    "siteDetails.addAsset": { siteId: none, type: "battery" },
    "batteries.list": {},
    "batteries.get": { assetId: asset.id },
    "batteries.readings": { assetId: asset.id, range: "24h" },
    "batteries.setMode": { assetId: none, operationMode: "SELF_RELIANCE" },
    "batteries.cancelAction": { assetId: none, actionId: none },
    "batteries.credential": { siteId: site.id },
    "consent.timeline": { siteId: site.id },
    "consent.enrolments": { siteId: site.id },
    "consent.enrolmentHistory": { siteId: site.id },
    "consent.enrol": { siteId: none, proposition: "full_asset_control" },
    "consent.unenrol": { siteId: none, proposition: "full_asset_control" },
    "consent.createLink": { siteId: none },
    "consent.sendLink": { siteId: none },
    "consent.offboard": { siteId: none },
    "charging.recordPlugOut": { assetId: none },
    "charging.cancelChargeNow": { assetId: none },
    "charging.replan": { sessionId: none },
    "chargingViews.sessions": {},
    "chargingViews.session": { sessionId: none },
    "chargingViews.intentLinks": { siteId: site.id },
    "chargingViews.revokeIntentLink": { linkId: none },
    "marketPrices.curves": {},
    "marketPrices.prices": { from: new Date("2026-01-01T00:00:00Z"), to: new Date("2026-01-02T00:00:00Z") },
    "scheduleEndpoints.recentDeliveries": {},
    "ocpp.get": { id: none },
    "ocpp.messages": { id: none },
    "ocpp.commands": { id: none },
    "ocpp.register": { assetId: none, chargePointId: `perm-${none.slice(0, 8)}` },
    "ocpp.setPassword": { id: none },
    "ocpp.setEnabled": { id: none, enabled: false },
    "gridEvents.list": {},
    "gridEvents.get": { eventId: none },
    "gridEvents.cancel": { eventId: none },
    "gridEvents.previewPlan": { eventId: none },
    "gridEvents.commit": { eventId: none },
    "gridEvents.live": { eventId: none },
    "gridEvents.mailbox": {},
    "rewards.siteLedger": { siteId: site.id },
    "rewards.createRewardsLink": { siteId: none },
    "rewards.approvePayouts": { entryIds: [none] },
    "rewards.recordPayoutOutcome": { entryIds: [none], outcome: "failed" },
    "rewards.eventReport": { eventId: none },
    "rewards.settleEvent": { eventId: none },
    "rewards.batterySchedule": { assetId: asset.id },
    "rewards.planBatterySchedules": { assetId: none },
    "webhookEndpoints.disable": { endpointId: none },
    "webhookEndpoints.enable": { endpointId: none },
    "webhookEndpoints.deliveries": {},
  };
  return path in inputs ? inputs[path] : {};
}

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; meta?: ProcedureMeta } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

async function callProcedure(actor: Actor, path: string, type: string): Promise<{ ok: true; text: string } | { ok: false; code: string; message: string }> {
  const caller = createCaller(await actor.trpc()) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const [area, name] = path.split(".") as [string, string];
  const procedure = caller[area]?.[name];
  if (!procedure) throw new Error(`cannot call ${path} (${type})`);
  try {
    const result = await procedure(trpcInput(path));
    return { ok: true, text: JSON.stringify(result) ?? "" };
  } catch (error) {
    if (error instanceof TRPCError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

describe("the permission table, through tRPC", () => {
  it("has a declared permission on every procedure", () => {
    expect(procedures.length).toBeGreaterThan(80);
    const undeclared = procedures.filter(([, procedure]) => !Array.isArray(procedure._def.meta?.permissions)).map(([path]) => path);
    expect(undeclared).toEqual([]);
    const openWithoutReason = procedures.filter(([, p]) => p._def.meta?.permissions.length === 0 && p._def.meta.ownAccount !== true).map(([path]) => path);
    expect(openWithoutReason).toEqual([]);
  });

  it("declares the permissions pinned in the snapshot: a change to who may call what shows in review", () => {
    expect(Object.fromEntries(procedures.map(([path, procedure]) => [path, procedure._def.meta?.ownAccount ? "own account" : procedure._def.meta?.permissions.join(" + ")]))).toMatchSnapshot();
  });

  it("answers every procedure as the table says for each actor", { timeout: 300_000 }, async () => {
    const wrong: string[] = [];
    for (const [path, procedure] of procedures) {
      const meta = procedure._def.meta;
      if (!meta) continue;
      for (const actor of actors) {
        if (meta.ownAccount) {
          // The operator's own account: a token has none; an operator's is answered (not changed here).
          if (path !== "account.me" && actor.holder.type === "operator") continue;
          const outcome = await callProcedure(actor, path, procedure._def.type);
          const expected = actor.holder.type === "operator" ? "ok" : "UNAUTHORIZED";
          const got = outcome.ok ? "ok" : outcome.code;
          if (got !== expected) wrong.push(`${path} as ${actor.name}: expected ${expected}, got ${got}`);
          continue;
        }
        const allowed = meta.permissions.every((permission: Permission) => isGranted(actor.holder, permission));
        const outcome = await callProcedure(actor, path, procedure._def.type);
        if (!allowed) {
          if (outcome.ok || outcome.code !== "FORBIDDEN") wrong.push(`${path} as ${actor.name}: expected FORBIDDEN, got ${outcome.ok ? "ok" : outcome.code}`);
          continue;
        }
        if (!outcome.ok && (outcome.code === "FORBIDDEN" || outcome.code === "UNAUTHORIZED" || outcome.code === "INTERNAL_SERVER_ERROR")) {
          wrong.push(`${path} as ${actor.name}: allowed by the table, got ${outcome.code} (${outcome.message})`);
        }
        if (!actor.ownOrg) {
          const leaked = leaksOwnData(outcome.ok ? outcome.text : outcome.message);
          if (leaked !== null) wrong.push(`${path} as ${actor.name}: shows the other organisation's ${leaked}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

/** Deleting and offboarding routes get ids that match nothing, so the site stays for the other checks. */
function restPath(template: string, destructive: boolean): string {
  const values: Record<string, string> = {
    site_id: destructive ? randomUUID() : site.id,
    asset_id: destructive ? randomUUID() : asset.id,
    batteryId: asset.id,
    external_id: asset.externalId,
    actionId: randomUUID(),
    event_id: randomUUID(),
    userId: randomUUID(),
    mpan: randomMpan(),
    meter_ref: randomUUID(),
    eventId: randomUUID(),
    locationId: randomUUID(),
    resourceId: randomUUID(),
    webhookId: randomUUID(),
    notificationId: randomUUID(),
    mpid: "1200000000001",
    provider: "givenergy",
  };
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no sample value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });
}

describe("the permission table, through the REST API", () => {
  it("has a handler and a declared permission for every published route", () => {
    expect(publishedRoutes.length).toBeGreaterThan(40);
    expect(publishedRoutes.filter((route) => restHandlersByOperationId[route.operationId] === undefined).map((route) => route.operationId)).toEqual([]);
    expect(publishedRoutes.filter((route) => (route as { permission?: Permission | null }).permission === undefined).map((route) => route.operationId)).toEqual([]);
    // Only the token endpoints are public.
    expect(publishedRoutes.filter((route) => route.permission === null).map((route) => route.operationId).sort()).toEqual(["issueToken", "login_for_access_token_form_auth_token_form_post"]);
    // What every valid token may do (who am I, example payloads) shows nothing of the organisation's.
    expect(publishedRoutes.filter((route) => route.permission === "api:identity").map((route) => `${route.method.toUpperCase()} ${route.path}`).sort()).toEqual(
      ["GET /auth/users/me/", "GET /examples/dispatch-event", "GET /examples/ocpp-charging-profile"],
    );
  });

  it("declares the permissions pinned in the snapshot", () => {
    expect(Object.fromEntries(publishedRoutes.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route.permission ?? "public"]))).toMatchSnapshot();
  });

  it("answers every route as the table says for each token, and 401 without one", { timeout: 300_000 }, async () => {
    // The energy-coordination sandbox answers only where an admin switched it on (a 403 otherwise).
    await setCoordinationSimulation(org.admin, true);
    await setCoordinationSimulation(other.admin, true);
    const wrong: string[] = [];
    const tokens = actors.filter((actor) => actor.token !== undefined);
    for (const route of publishedRoutes) {
      if (route.permission === null) continue;
      const handler = restHandlersByOperationId[route.operationId];
      if (!handler) continue;
      const send = async (token: string | undefined) => {
        const hasBody = route.method !== "get" && route.method !== "delete";
        const request = new Request(`http://localhost/api/v1${restPath(route.path, route.method === "delete" || route.operationId.startsWith("offboard"))}`, {
          method: route.method.toUpperCase(),
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(hasBody ? { "content-type": "application/json" } : {}) },
          ...(hasBody ? { body: "{}" } : {}),
        });
        const response = await handler(request);
        return { status: response.status, text: await response.text() };
      };
      const anonymous = await send(undefined);
      if (anonymous.status !== 401) wrong.push(`${route.operationId} without a token: expected 401, got ${anonymous.status}`);
      for (const actor of tokens) {
        const allowed = isGranted(actor.holder, route.permission);
        const { status, text } = await send(actor.token);
        if (!allowed && status !== 403) wrong.push(`${route.operationId} as ${actor.name}: expected 403, got ${status}`);
        if (allowed && (status === 401 || status === 403 || status >= 500)) wrong.push(`${route.operationId} as ${actor.name}: allowed by the table, got ${status} ${text.slice(0, 200)}`);
        if (!actor.ownOrg && leaksOwnData(text) !== null) wrong.push(`${route.operationId} as ${actor.name}: shows the other organisation's ${leaksOwnData(text)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("what tokens and viewers cannot reach", () => {
  it("refuses a token with every scope members, API clients and payouts, in the procedure and in the service", async () => {
    const everything = tokenActor("every scope", await tokenFor(org, SCOPES), SCOPES, true);
    const context = await everything.trpc();
    const caller = createCaller(context);
    await expect(caller.members.add({ email: `x-${randomUUID().slice(0, 8)}@example.test`, name: "X", role: "admin" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.apiClients.create({ name: "minted", scopes: ["entities:read"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.rewards.approvePayouts({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.rewards.exportPayouts()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.rewards.updateSettings({} as Parameters<typeof caller.rewards.updateSettings>[0])).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The services refuse on their own, whatever transport forgot.
    const service = context.service;
    if (!service) throw new Error("no service context");
    await expect(addMember(service, { email: `y-${randomUUID().slice(0, 8)}@example.test`, name: "Y", role: "admin" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createApiClient(service, { name: "minted", scopes: ["entities:read"] })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("API clients cannot") });
    await expect(approveRewardEntries(service, {})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(exportPayoutRun(service)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lets a partner manage its own webhook endpoints and schedule endpoint with their scopes, and nothing more", async () => {
    const webhooks = createCaller(await tokenActor("webhooks", await tokenFor(org, ["webhooks:manage"]), ["webhooks:manage"], true).trpc());
    const created = await webhooks.webhookEndpoints.create({ url: "https://partner.example.test/hooks", eventTypes: [] });
    expect((await webhooks.webhookEndpoints.list()).map((endpoint) => endpoint.id)).toContain(created.endpoint.id);
    await expect(webhooks.scheduleEndpoints.get()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const schedules = createCaller(await tokenActor("schedules", await tokenFor(org, ["schedule_endpoint:manage"]), ["schedule_endpoint:manage"], true).trpc());
    await expect(schedules.scheduleEndpoints.get()).resolves.toBeDefined();
    await expect(schedules.webhookEndpoints.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(schedules.sites.list({})).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("entities:read") });
  });

  it("shows a viewer householders' emails masked, no consent evidence and no mail bodies, and refuses the export", async () => {
    const viewer = await org.addOperator("viewer");
    const operator = await org.addOperator("operator");
    const email = `jane-${randomUUID().slice(0, 8)}@example.test`;
    const own = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", email });
    await recordConsent(org.admin, {
      siteId: own.id,
      changes: [{ kind: "full_asset_control", action: "granted" }],
      evidence: { ipAddress: "203.0.113.7", userAgent: "Mozilla/5.0 (Test)" },
    });
    await sendEmail(org.admin, { to: email, subject: "Your battery", text: "Open https://flexfleet.test/consent/secret-link", purpose: "permissions.test", relatedId: own.id });

    const asViewer = createCaller({ operator: null, service: viewer.ctx });
    const seen = await asViewer.sites.get({ siteId: own.id });
    expect(seen.email).toBe(`j•••@example.test`);
    expect(JSON.stringify(await asViewer.sites.list({}))).not.toContain(email);
    const timeline = await asViewer.consent.timeline({ siteId: own.id });
    expect(timeline[0]?.evidence).toEqual({});
    expect(JSON.stringify(timeline)).not.toContain("203.0.113.7");
    const mail = (await asViewer.gridEvents.mailbox({ purpose: "permissions.test" })).items[0];
    expect(mail).toMatchObject({ bodyHidden: true, textBody: "", htmlBody: null, toAddress: "j•••@example.test" });
    expect(() => exportSitesCsv(viewer.ctx, {})).toThrow(expect.objectContaining({ code: "FORBIDDEN" }) as Error);

    // Operators see it whole and may export.
    const asOperator = createCaller({ operator: null, service: operator.ctx });
    expect((await asOperator.sites.get({ siteId: own.id })).email).toBe(email);
    expect((await asOperator.consent.timeline({ siteId: own.id }))[0]?.evidence).toMatchObject({ ipAddress: "203.0.113.7", userAgent: "Mozilla/5.0 (Test)" });
    expect((await asOperator.gridEvents.mailbox({ purpose: "permissions.test" })).items[0]).toMatchObject({ bodyHidden: false, toAddress: email });
    let csv = "";
    for await (const chunk of exportSitesCsv(operator.ctx, {})) csv += chunk;
    expect(csv).toContain(email);
  });
});

import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, ocppChargePoints, ocppMessages } from "@/db/schema";
import { randomMpan } from "@/server/api/rest/test-support";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { getChargePoint, listChargePoints, registerChargePoint, setChargePointEnabled, setChargePointPassword } from "./charge-points";
import { appendOcppMessages, authenticateChargePoint, gatewayContext, OCPP_MESSAGE_LOG_LIMIT, type LoggedMessage } from "./gateway-registry";

let org: TestOrg;
let other: TestOrg;

async function newAsset(owner: TestOrg, type: "charger" | "battery" = "charger") {
  const site = await createSite(owner.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  const properties = type === "charger" ? { power_kw: 7.4 } : { power_kw: 3, capacity_kwh: 10 };
  return createAsset(owner.admin, { siteId: site.id, externalId: `${type}-${randomUUID().slice(0, 8)}`, type, properties });
}

beforeAll(async () => {
  org = await createTestOrg("ocpp-cp");
  other = await createTestOrg("ocpp-cp-other");
});

describe("registering direct charge points", () => {
  it("refuses a bad identity, a short password, a battery and a second registration, naming the field", async () => {
    const charger = await newAsset(org);
    await expect(registerChargePoint(org.admin, { assetId: charger.id, chargePointId: "has space" })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["chargePointId"] }] });
    await expect(registerChargePoint(org.admin, { assetId: charger.id, chargePointId: "CP-OK", password: "short" })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["password"] }] });
    const battery = await newAsset(org, "battery");
    await expect(registerChargePoint(org.admin, { assetId: battery.id, chargePointId: `CP-${randomUUID().slice(0, 8)}` })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const identity = `CP-${randomUUID().slice(0, 8)}`;
    const view = await registerChargePoint(org.admin, { assetId: charger.id, chargePointId: identity });
    expect(view).toMatchObject({ chargePointId: identity, passwordSet: false, enabled: true, connectionState: "never_connected" });
    await expect(registerChargePoint(org.admin, { assetId: charger.id, chargePointId: `CP-${randomUUID().slice(0, 8)}` })).rejects.toMatchObject({ code: "CONFLICT" });
    // Without a password nobody gets in.
    expect(await authenticateChargePoint(gatewayContext(), { identity, password: Buffer.from("anything-at-all-123") })).toEqual({ outcome: "no_password" });
  });

  it("keeps the password only as a hash, returns a generated one once and never puts it in views or the audit log", async () => {
    const charger = await newAsset(org);
    const identity = `CP-${randomUUID().slice(0, 8)}`;
    const cp = await registerChargePoint(org.admin, { assetId: charger.id, chargePointId: identity });
    const { password } = await setChargePointPassword(org.admin, { id: cp.id });
    expect(password.length).toBeGreaterThanOrEqual(16);
    const [row] = await getDb().select().from(ocppChargePoints).where(eq(ocppChargePoints.id, cp.id));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain(password);
    const view = JSON.stringify(await getChargePoint(org.admin, cp.id));
    expect(view).not.toContain(password);
    expect(view).not.toContain("argon2");
    const audit = await getDb().select().from(auditEvents).where(and(eq(auditEvents.organisationId, org.orgId), eq(auditEvents.targetId, cp.id)));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["ocpp_charge_point.registered", "ocpp_charge_point.password_set"]));
    expect(JSON.stringify(audit)).not.toContain(password);

    expect(await authenticateChargePoint(gatewayContext(), { identity, password: Buffer.from(password) })).toMatchObject({ outcome: "accepted" });
    expect(await authenticateChargePoint(gatewayContext(), { identity, password: Buffer.from(`${password}x`) })).toEqual({ outcome: "wrong_password" });
    await setChargePointEnabled(org.admin, { id: cp.id, enabled: false });
    expect(await authenticateChargePoint(gatewayContext(), { identity, password: Buffer.from(password) })).toEqual({ outcome: "disabled" });
  });

  it("lets viewers see charge points but not change them", async () => {
    const viewer = await org.addOperator("viewer");
    const charger = await newAsset(org);
    const cp = await registerChargePoint(org.admin, { assetId: charger.id, chargePointId: `CP-${randomUUID().slice(0, 8)}` });
    expect((await listChargePoints(viewer.ctx)).map((c) => c.id)).toContain(cp.id);
    await expect(setChargePointPassword(viewer.ctx, { id: cp.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(registerChargePoint(viewer.ctx, { assetId: charger.id, chargePointId: "CP-viewer" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("shows another organisation nothing and lets it change nothing", async () => {
    const charger = await newAsset(org);
    const cp = await registerChargePoint(org.admin, { assetId: charger.id, chargePointId: `CP-${randomUUID().slice(0, 8)}` });
    expect((await listChargePoints(other.admin)).map((c) => c.id)).not.toContain(cp.id);
    await expect(getChargePoint(other.admin, cp.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(setChargePointPassword(other.admin, { id: cp.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(setChargePointEnabled(other.admin, { id: cp.id, enabled: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(registerChargePoint(other.admin, { assetId: charger.id, chargePointId: `CP-${randomUUID().slice(0, 8)}` })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await getChargePoint(org.admin, cp.id)).enabled).toBe(true);
  });
});

describe("the message log", () => {
  it("keeps the newest messages per charge point up to the limit", async () => {
    const charger = await newAsset(org);
    const cp = await registerChargePoint(org.admin, { assetId: charger.id, chargePointId: `CP-${randomUUID().slice(0, 8)}` });
    const at = new Date();
    const message = (n: number): LoggedMessage => ({
      organisationId: org.orgId,
      chargePointRowId: cp.id,
      direction: "in",
      messageType: "CALL",
      action: "Heartbeat",
      messageId: `m-${n}`,
      payload: {},
      error: null,
      at,
    });
    await appendOcppMessages(gatewayContext(), Array.from({ length: OCPP_MESSAGE_LOG_LIMIT - 10 }, (_, n) => message(n)));
    await appendOcppMessages(gatewayContext(), Array.from({ length: 30 }, (_, n) => message(OCPP_MESSAGE_LOG_LIMIT - 10 + n)));
    const kept = await getDb().select({ messageId: ocppMessages.messageId }).from(ocppMessages).where(eq(ocppMessages.chargePointId, cp.id));
    expect(kept).toHaveLength(OCPP_MESSAGE_LOG_LIMIT);
    const ids = new Set(kept.map((k) => k.messageId));
    expect(ids.has("m-0")).toBe(false);
    expect(ids.has(`m-${OCPP_MESSAGE_LOG_LIMIT + 19}`)).toBe(true);
  });
});

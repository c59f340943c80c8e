import { describe, expect, it } from "vitest";
import { API_SCOPES, type ApiScope } from "./api-scopes";
import { isGranted, PERMISSION_NAMES, PERMISSIONS, refusalMessage, scopesFor, type Permission } from "./permissions";

const SCOPES = Object.keys(API_SCOPES) as ApiScope[];
const grantedTo = (holder: Parameters<typeof isGranted>[0]) => PERMISSION_NAMES.filter((permission) => isGranted(holder, permission));

describe("the permission table", () => {
  it("closes members, API clients, settings, the audit log, mail, exports, money and system health to every token", () => {
    const everyScope = { type: "api_client" as const, scopes: SCOPES };
    const closed = PERMISSION_NAMES.filter((permission) => !isGranted(everyScope, permission)).sort();
    expect(closed).toEqual(
      ["api_clients:manage", "asset_models:write", "audit:read", "mail:read", "members:manage", "members:read", "ocpp:gateway", "ocpp:manage", "organisation:settings", "payouts:approve", "rewards:withdraw", "rewards:write", "sites:export", "system:read"].sort(),
    );
  });

  it("orders the roles: a viewer reads, an operator also changes, an admin also governs", () => {
    const viewer = grantedTo({ type: "operator", role: "viewer" });
    const operator = grantedTo({ type: "operator", role: "operator" });
    const admin = grantedTo({ type: "operator", role: "admin" });
    expect(viewer.every((permission) => operator.includes(permission))).toBe(true);
    expect(operator.every((permission) => admin.includes(permission))).toBe(true);
    expect(viewer.some((permission) => permission.endsWith(":write") || permission.endsWith(":manage"))).toBe(false);
    expect(viewer).not.toContain("personal_data:read");
    expect(viewer).not.toContain("sites:export");
    expect(admin.filter((permission) => !operator.includes(permission)).sort()).toEqual(
      ["api_clients:manage", "members:manage", "organisation:settings", "payouts:approve", "schedule_endpoint:manage", "webhook_endpoints:manage"].sort(),
    );
    // Only the householder withdraws their own balance.
    expect(admin).not.toContain("rewards:withdraw");
  });

  it("gives a householder link only its consent, intent, rewards and OEM sign-in, and system jobs everything", () => {
    expect(grantedTo({ type: "householder" }).sort()).toEqual(["charging:events", "consent:read", "consent:write", "credentials:connect", "rewards:read", "rewards:withdraw"].sort());
    expect(grantedTo({ type: "system" })).toEqual(PERMISSION_NAMES);
  });

  it("grants by scope, a write scope including its read, and publishes the one scope a route needs", () => {
    expect(isGranted({ type: "api_client", scopes: ["entities:write"] }, "sites:read")).toBe(true);
    expect(isGranted({ type: "api_client", scopes: ["entities:read"] }, "sites:write")).toBe(false);
    expect(isGranted({ type: "api_client", scopes: ["users:write"] }, "users:read")).toBe(true);
    expect(isGranted({ type: "api_client", scopes: ["webhooks:manage"] }, "webhook_endpoints:manage")).toBe(true);
    expect(isGranted({ type: "api_client", scopes: ["webhooks:manage"] }, "schedule_endpoint:manage")).toBe(false);
    expect(scopesFor("sites:write")).toEqual(["entities:write"]);
    expect(scopesFor("payouts:approve")).toEqual([]);
    // Only "who am I" and the example payloads are held by every token whatever its scopes.
    expect(PERMISSION_NAMES.filter((permission) => PERMISSIONS[permission].everyToken === true)).toEqual(["api:identity"]);
    expect(isGranted({ type: "api_client", scopes: [] }, "api:identity")).toBe(true);
    expect(scopesFor("api:identity")).toEqual([]);
    // Every scope grants something, and every scope named in the table exists.
    for (const scope of SCOPES) expect(PERMISSION_NAMES.some((permission) => PERMISSIONS[permission].scope === scope)).toBe(true);
  });

  it("explains a refusal in words, with the next step", () => {
    expect(refusalMessage({ type: "operator", role: "viewer" }, "sites:write")).toBe("Viewers cannot create, change and delete sites and assets. Ask an admin for the operator role.");
    expect(refusalMessage({ type: "operator", role: "operator" }, "members:manage")).toMatch(/^Only admins can add and remove members.*Ask an admin/);
    expect(refusalMessage({ type: "api_client", scopes: [] }, "payouts:approve")).toMatch(/API clients cannot approve, export and record payouts; an operator does this in the dashboard/);
    expect(refusalMessage({ type: "api_client", scopes: [] }, "readings:write")).toMatch(/lacks the scope readings:write.*request a new token/);
    for (const permission of PERMISSION_NAMES as Permission[]) expect(refusalMessage({ type: "operator", role: "viewer" }, permission)).not.toContain(permission);
  });
});

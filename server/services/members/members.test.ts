import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { listAuditEvents } from "@/server/services/audit/list-audit-events";
import { createTestOrg } from "@/test/fixtures";
import { addMember, changeMemberRole, listMembers, removeMember } from "./members";

describe("members", () => {
  it("refuses a viewer's attempt to change a role, in the API and in the service", async () => {
    const org = await createTestOrg("viewer");
    const viewer = await org.addOperator("viewer");
    const target = await org.addOperator("operator");
    const caller = createCaller({ operator: null, service: viewer.ctx });
    await expect(caller.members.changeRole({ operatorId: target.operatorId, role: "admin" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(changeMemberRole(viewer.ctx, { operatorId: target.operatorId, role: "admin" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const members = await listMembers(org.admin, { limit: 50, offset: 0 });
    expect(members.items.find((m) => m.operatorId === target.operatorId)?.role).toBe("operator");
  });

  it("lets an operator read but not add members", async () => {
    const org = await createTestOrg("op");
    const op = await org.addOperator("operator");
    const caller = createCaller({ operator: null, service: op.ctx });
    expect((await caller.members.list({ limit: 10, offset: 0 })).total).toBe(2);
    const error = await caller.members.add({ email: "x@example.test", name: "X", role: "viewer" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("FORBIDDEN");
  });

  it("shows an operator of one organisation nothing of another", async () => {
    const a = await createTestOrg("a");
    const b = await createTestOrg("b");
    const bOperator = await b.addOperator("operator");
    const opA = await a.addOperator("admin");
    const membersOfA = await listMembers(opA.ctx, { limit: 100, offset: 0 });
    expect(membersOfA.items.map((m) => m.email)).not.toContain(bOperator.email);
    expect(membersOfA.items.map((m) => m.email)).not.toContain(b.adminEmail);
    const auditOfA = await listAuditEvents(opA.ctx, { limit: 100, offset: 0 });
    expect(JSON.stringify(auditOfA.items)).not.toContain(bOperator.email);
    // Acting on another organisation's member is a not-found, not a change.
    await expect(changeMemberRole(opA.ctx, { operatorId: bOperator.operatorId, role: "viewer" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(removeMember(opA.ctx, { operatorId: b.adminId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("records every member change in the audit log", async () => {
    const org = await createTestOrg("audit");
    const added = await addMember(org.admin, { email: "new.person@example.test".replace("new", `n${Date.now()}`), name: "New Person", role: "viewer" });
    expect(added.oneTimePassword).toMatch(/^[A-Za-z0-9]{16}$/);
    await changeMemberRole(org.admin, { operatorId: added.operatorId, role: "operator" });
    await removeMember(org.admin, { operatorId: added.operatorId });
    const audit = await listAuditEvents(org.admin, { limit: 10, offset: 0 });
    // The test organisation's own set-up (its partner-URL setting) is audited too; only member changes count here.
    const members = audit.items.filter((e) => e.action.startsWith("member."));
    expect(members.map((e) => e.action)).toEqual(["member.removed", "member.role_changed", "member.added"]);
    expect(members[1]?.details).toMatchObject({ from: "viewer", to: "operator" });
    expect(members.every((e) => e.actorLabel === org.adminEmail)).toBe(true);
  });

  it("keeps at least one admin", async () => {
    const org = await createTestOrg("last-admin");
    await expect(changeMemberRole(org.admin, { operatorId: org.adminId, role: "viewer" })).rejects.toMatchObject({ code: "PRECONDITION" });
    await expect(removeMember(org.admin, { operatorId: org.adminId })).rejects.toMatchObject({ code: "PRECONDITION" });
  });

  it("refuses a duplicate member with a clear message and changes nothing", async () => {
    const org = await createTestOrg("dup");
    const op = await org.addOperator("operator");
    await expect(addMember(org.admin, { email: op.email.toUpperCase(), name: "Again", role: "viewer" })).rejects.toMatchObject({ code: "CONFLICT" });
    const audit = await listAuditEvents(org.admin, { limit: 10, offset: 0 });
    expect(audit.items.filter((e) => e.action === "member.added")).toHaveLength(1);
  });

  it("refuses malformed input at the API boundary", async () => {
    const org = await createTestOrg("bad");
    const caller = createCaller({ operator: null, service: org.admin });
    await expect(caller.members.add({ email: "not-an-email", name: "", role: "admin" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

import { describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { changeOwnPassword, resolveOperatorSession, revokeOperatorSessions, signInLockedForSeconds, verifyOperatorCredentials, WRONG_CREDENTIALS } from "./sign-in";

describe("operator sign-in", () => {
  it("locks an email after ten wrong passwords in a minute: the 11th and then the right one are refused as rate limited", async () => {
    const org = await createTestOrg("signin-lock");
    for (let i = 0; i < 10; i++) {
      await expect(verifyOperatorCredentials({ email: org.adminEmail, password: `wrong-${i}` })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    }
    await expect(verifyOperatorCredentials({ email: org.adminEmail.toUpperCase(), password: "wrong-again" })).rejects.toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/Try again in/) });
    await expect(verifyOperatorCredentials({ email: org.adminEmail, password: org.adminPassword })).rejects.toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
    expect(await signInLockedForSeconds(org.adminEmail, null)).toBeGreaterThan(0);
    // Another operator is not affected by someone else's lock.
    const other = await createTestOrg("signin-free");
    await expect(verifyOperatorCredentials({ email: other.adminEmail, password: other.adminPassword })).resolves.toMatchObject({ email: other.adminEmail });
  }, 120_000);

  it("fails on a wrong password without saying which part was wrong", async () => {
    const org = await createTestOrg("signin");
    const wrongPassword = await verifyOperatorCredentials({ email: org.adminEmail, password: "wrong-password" }).catch((e: Error) => e);
    const unknownEmail = await verifyOperatorCredentials({ email: "nobody@example.test", password: org.adminPassword }).catch((e: Error) => e);
    expect(wrongPassword).toMatchObject({ code: "UNAUTHENTICATED", message: WRONG_CREDENTIALS });
    expect(unknownEmail).toMatchObject({ code: "UNAUTHENTICATED", message: WRONG_CREDENTIALS });
  });

  it("signs in with the right password, whatever the email's case", async () => {
    const org = await createTestOrg("signin-ok");
    const operator = await verifyOperatorCredentials({ email: org.adminEmail.toUpperCase(), password: org.adminPassword });
    expect(operator.operatorId).toBe(org.adminId);
  });

  it.each([
    ["a malformed email", { email: "not-an-email", password: "x" }, "Enter a valid email address."],
    ["an empty password", { email: "a@example.test", password: "" }, "Enter your password."],
    ["a 1 MB password", { email: "a@example.test", password: "x".repeat(1024 * 1024) }, "Passwords are at most 1024 characters."],
    ["no body at all", undefined, "Invalid input"],
  ])("answers %s with a clear message", async (_label, input, message) => {
    const error = await verifyOperatorCredentials(input).catch((e: Error) => e);
    expect(error).toMatchObject({ code: "VALIDATION" });
    expect((error as Error).message).toContain(message.slice(0, 12));
  });

  it("carries the organisation and role, and lets an operator in several organisations switch", async () => {
    const a = await createTestOrg("switch-a");
    const b = await createTestOrg("switch-b");
    const viewerInA = await a.addOperator("viewer");
    const { addMember } = await import("../members/members");
    await addMember(b.admin, { email: viewerInA.email, name: "Same person", role: "admin" });
    const inA = await resolveOperatorSession(viewerInA.operatorId, a.orgId, 0);
    const inB = await resolveOperatorSession(viewerInA.operatorId, b.orgId, 0);
    expect(inA?.current).toMatchObject({ orgId: a.orgId, role: "viewer" });
    expect(inB?.current).toMatchObject({ orgId: b.orgId, role: "admin" });
    expect(inA?.memberships).toHaveLength(2);
    // An organisation the operator is not in falls back to one they are in.
    const stranger = await createTestOrg("switch-c");
    const fallback = await resolveOperatorSession(viewerInA.operatorId, stranger.orgId, 0);
    expect([a.orgId, b.orgId]).toContain(fallback?.current?.orgId);
  });

  it("makes a new operator replace their one-time password", async () => {
    const org = await createTestOrg("otp");
    const op = await org.addOperator("operator");
    expect((await resolveOperatorSession(op.operatorId, org.orgId, 0))?.mustChangePassword).toBe(true);
    await expect(changeOwnPassword(op.operatorId, { currentPassword: "wrong", newPassword: "a-new-password" })).rejects.toMatchObject({ code: "VALIDATION" });
    await changeOwnPassword(op.operatorId, { currentPassword: op.password, newPassword: "a-new-password" });
    const signedIn = await verifyOperatorCredentials({ email: op.email, password: "a-new-password" });
    expect(signedIn).toMatchObject({ operatorId: op.operatorId, sessionVersion: 1 });
    expect((await resolveOperatorSession(op.operatorId, org.orgId, signedIn.sessionVersion))?.mustChangePassword).toBe(false);
  });

  it("ends every earlier session on a password change and on sign-out", async () => {
    const org = await createTestOrg("revoke");
    const first = await verifyOperatorCredentials({ email: org.adminEmail, password: org.adminPassword });
    expect(await resolveOperatorSession(org.adminId, org.orgId, first.sessionVersion)).not.toBeNull();
    // A cookie from before this feature carries no version: no session.
    expect(await resolveOperatorSession(org.adminId, org.orgId, undefined)).toBeNull();
    await changeOwnPassword(org.adminId, { currentPassword: org.adminPassword, newPassword: "changed-password-1" });
    expect(await resolveOperatorSession(org.adminId, org.orgId, first.sessionVersion)).toBeNull();
    const second = await verifyOperatorCredentials({ email: org.adminEmail, password: "changed-password-1" });
    expect(await resolveOperatorSession(org.adminId, org.orgId, second.sessionVersion)).not.toBeNull();
    await revokeOperatorSessions(org.adminId);
    expect(await resolveOperatorSession(org.adminId, org.orgId, second.sessionVersion)).toBeNull();
  }, 60_000);
});

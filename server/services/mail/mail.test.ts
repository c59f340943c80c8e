import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { listOutboundEmails, sendEmail } from "./mail";

const message = { to: "home@household.test", subject: "Grid event tomorrow", text: "Hello", purpose: "grid_event.notice", relatedId: "event-1" };

describe("outgoing email", () => {
  it("captures mail locally without SMTP, once per purpose, related id and recipient", async () => {
    const org = await createTestOrg("mail-capture");
    const first = await sendEmail(org.admin, message, { smtpUrl: null });
    expect(first).toMatchObject({ status: "captured", transport: "captured", toAddress: "home@household.test", sentAt: expect.any(Date) });
    expect(first.messageId).toMatch(/@/);
    const again = await sendEmail(org.admin, message, { smtpUrl: null });
    expect(again.id).toBe(first.id);
    expect((await listOutboundEmails(org.admin)).items).toHaveLength(1);
  });

  it("sends through the configured transport and records a failure without the SMTP password", async () => {
    const org = await createTestOrg("mail-smtp");
    const json = nodemailer.createTransport({ jsonTransport: true });
    const sent = await sendEmail(org.admin, { ...message, relatedId: "event-2" }, { smtpUrl: "smtp://user:hunter2@mail.example:587", transport: json });
    expect(sent).toMatchObject({ status: "sent", transport: "smtp" });
    const failing = nodemailer.createTransport({ host: "127.0.0.1", port: 1, auth: { user: "user", pass: "hunter2" }, connectionTimeout: 500 });
    const failed = await sendEmail(org.admin, { ...message, relatedId: "event-3" }, { smtpUrl: "smtp://user:hunter2@127.0.0.1:1", transport: failing });
    expect(failed.status).toBe("failed");
    expect(failed.error).toBeTruthy();
    expect(failed.error).not.toContain("hunter2");
    await expect(sendEmail(org.admin, { ...message, to: "not an address" }, { smtpUrl: null })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["to"] }] });
  });

  it("pages the mailbox newest first and shows another organisation nothing", async () => {
    const org = await createTestOrg("mail-page");
    const other = await createTestOrg("mail-other");
    for (let i = 0; i < 3; i++) await sendEmail(org.admin, { ...message, relatedId: `e${i}` }, { smtpUrl: null, now: new Date(Date.UTC(2026, 0, 1, 12, i)) });
    const page1 = await listOutboundEmails(org.admin, { limit: 2 });
    expect(page1.items.map((m) => m.relatedId)).toEqual(["e2", "e1"]);
    const page2 = await listOutboundEmails(org.admin, { limit: 2, before: page1.nextCursor });
    expect(page2.items.map((m) => m.relatedId)).toEqual(["e0"]);
    expect(page2.nextCursor).toBeNull();
    expect((await listOutboundEmails(other.admin)).items).toEqual([]);
  });

  it("refuses a tampered cursor as a validation error naming `before`, not a database error", async () => {
    const org = await createTestOrg("mail-cursor");
    for (const before of ["2026-01-01T12:00:00.000Z|not-a-uuid", "not-a-date|00000000-0000-4000-8000-000000000000", "no-separator"]) {
      await expect(listOutboundEmails(org.admin, { before })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["before"] }] });
    }
  });
});

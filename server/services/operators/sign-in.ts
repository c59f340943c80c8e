// Operator sign-in and session facts. These run without an organisation context:
// they establish who the operator is and which organisations they may act for.
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { memberships, operators, organisations, type Role } from "@/db/schema";
import { countCredentialAttempt, credentialLimits, secondsUntilUnlocked, type ThrottleRule } from "../auth-throttle/auth-throttle";
import { invalid, ServiceError } from "../errors";
import { dummyPasswordHash, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPassword } from "./passwords";

export const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(320, "That email address is too long.").email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password.").max(MAX_PASSWORD_LENGTH, `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`),
});

export interface SignedInOperator {
  operatorId: string;
  email: string;
  name: string;
  /** Goes into the session cookie; a cookie with an older version is no session. */
  sessionVersion: number;
}

/** Same answer for an unknown email and a wrong password: never say which part was wrong. */
export const WRONG_CREDENTIALS = "The email or password is incorrect.";

/** Rules for a sign-in attempt: per email (whatever the case) and per client address when known. */
export function signInThrottleRules(email: string, clientAddress: string | null | undefined): ThrottleRule[] {
  const limits = credentialLimits();
  return [
    { bucket: "sign-in-email", subject: email.trim().toLowerCase(), limit: limits.perSubject },
    ...(clientAddress ? [{ bucket: "sign-in-address" as const, subject: clientAddress, limit: limits.perAddress }] : []),
  ];
}

export const signInLockedMessage = (retryAfter: string) => `Too many failed sign-in attempts. Try again in ${retryAfter}, or ask an admin to reset your password.`;

/** Seconds until sign-in for this email or address is unlocked (0: not locked). */
export async function signInLockedForSeconds(email: string, clientAddress: string | null | undefined): Promise<number> {
  return secondsUntilUnlocked(signInThrottleRules(email, clientAddress));
}

export async function verifyOperatorCredentials(input: unknown, options: { clientAddress?: string | null } = {}): Promise<SignedInOperator> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(parsed.error.issues[0]?.message ?? "Invalid sign-in.");
  }
  const { email, password } = parsed.data;
  const attempt = await countCredentialAttempt(signInThrottleRules(email, options.clientAddress), signInLockedMessage);
  const db = getDb();
  const [operator] = await db
    .select()
    .from(operators)
    .where(eq(sql`lower(${operators.email})`, email.toLowerCase()))
    .limit(1);
  const ok = await verifyPassword(operator?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!operator || !ok) throw new ServiceError("UNAUTHENTICATED", WRONG_CREDENTIALS);
  await attempt.succeeded();
  await db.update(operators).set({ lastSignInAt: new Date() }).where(eq(operators.id, operator.id));
  return { operatorId: operator.id, email: operator.email, name: operator.name, sessionVersion: operator.sessionVersion };
}

/** Ends every session of the operator (sign-out, password change): cookies issued before stop working. */
export async function revokeOperatorSessions(operatorId: string): Promise<void> {
  await getDb()
    .update(operators)
    .set({ sessionVersion: sql`${operators.sessionVersion} + 1` })
    .where(eq(operators.id, operatorId));
}

export interface OperatorMembership {
  orgId: string;
  orgSlug: string;
  orgName: string;
  role: Role;
}

export async function listOperatorMemberships(operatorId: string): Promise<OperatorMembership[]> {
  return getDb()
    .select({ orgId: organisations.id, orgSlug: organisations.slug, orgName: organisations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.operatorId, operatorId))
    .orderBy(asc(organisations.name));
}

export interface OperatorSession {
  operatorId: string;
  email: string;
  name: string;
  mustChangePassword: boolean;
  /** Null when the operator belongs to no organisation (every membership was removed). */
  current: OperatorMembership | null;
  memberships: OperatorMembership[];
}

/**
 * Resolves the operator's live session facts: a removed membership or a changed
 * role takes effect on the next request, whatever the cookie says; a cookie issued
 * before the last sign-out or password change (another session version) is no session.
 */
export async function resolveOperatorSession(operatorId: string, preferredOrgId: string | undefined, sessionVersion: number | undefined): Promise<OperatorSession | null> {
  const [operator] = await getDb().select().from(operators).where(eq(operators.id, operatorId)).limit(1);
  if (!operator || operator.sessionVersion !== sessionVersion) return null;
  const list = await listOperatorMemberships(operatorId);
  const current = list.find((m) => m.orgId === preferredOrgId) ?? list[0] ?? null;
  return {
    operatorId,
    email: operator.email,
    name: operator.name,
    mustChangePassword: operator.mustChangePassword,
    current,
    memberships: list,
  };
}

export async function isMember(operatorId: string, orgId: string): Promise<boolean> {
  const rows = await getDb()
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.operatorId, operatorId), eq(memberships.organisationId, orgId)))
    .limit(1);
  return rows.length > 0;
}

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(MAX_PASSWORD_LENGTH),
    newPassword: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
      .max(MAX_PASSWORD_LENGTH, `Passwords are at most ${MAX_PASSWORD_LENGTH} characters.`),
  })
  .refine((v) => v.currentPassword !== v.newPassword, { path: ["newPassword"], message: "Choose a password different from the current one." });

export async function changeOwnPassword(operatorId: string, input: z.infer<typeof changePasswordSchema>): Promise<void> {
  const db = getDb();
  const [operator] = await db.select().from(operators).where(eq(operators.id, operatorId)).limit(1);
  if (!operator || !(await verifyPassword(operator.passwordHash, input.currentPassword))) {
    throw invalid("The current password is incorrect.", [{ path: ["currentPassword"], message: "The current password is incorrect." }]);
  }
  // A new password ends every session signed in with the old one (the changing browser signs in again).
  await db
    .update(operators)
    .set({ passwordHash: await hashPassword(input.newPassword), mustChangePassword: false, sessionVersion: sql`${operators.sessionVersion} + 1` })
    .where(eq(operators.id, operatorId));
}

// Members of an organisation: list, add, change role, remove. Every change is
// audit-logged in the same transaction; only admins may change anything.
import { and, asc, count, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { memberships, operators, roleEnum, type Role } from "@/db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { conflict, notFound, precondition } from "../errors";
import { generateOneTimePassword, hashPassword } from "../operators/passwords";

export const roleSchema = z.enum(roleEnum.enumValues);

export const addMemberSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(320),
  name: z.string().trim().min(1, "Enter a name.").max(200, "Names are at most 200 characters."),
  role: roleSchema,
});

export const listMembersSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).default(0),
  search: z.string().trim().max(200).optional(),
});

export async function listMembers(ctx: ServiceContext, input: z.infer<typeof listMembersSchema>) {
  authorize(ctx, "members:read");
  const filters: SQL[] = [eq(memberships.organisationId, ctx.orgId)];
  if (input.search) {
    const pattern = `%${input.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const match = or(ilike(operators.email, pattern), ilike(operators.name, pattern));
    if (match) filters.push(match);
  }
  const where = and(...filters);
  const [rows, totals] = await Promise.all([
    ctx.db
      .select({
        operatorId: operators.id,
        email: operators.email,
        name: operators.name,
        role: memberships.role,
        joinedAt: memberships.createdAt,
        lastSignInAt: operators.lastSignInAt,
        mustChangePassword: operators.mustChangePassword,
      })
      .from(memberships)
      .innerJoin(operators, eq(operators.id, memberships.operatorId))
      .where(where)
      .orderBy(asc(operators.name), asc(operators.email))
      .limit(input.limit)
      .offset(input.offset),
    ctx.db
      .select({ total: count() })
      .from(memberships)
      .innerJoin(operators, eq(operators.id, memberships.operatorId))
      .where(where),
  ]);
  return {
    items: rows.map((r) => ({
      ...r,
      joinedAt: r.joinedAt.toISOString(),
      lastSignInAt: r.lastSignInAt?.toISOString() ?? null,
    })),
    total: totals[0]?.total ?? 0,
  };
}

export interface AddMemberResult {
  operatorId: string;
  /** Present only when a new account was created: shown once to the admin, never stored in clear. */
  oneTimePassword: string | null;
}

export async function addMember(ctx: ServiceContext, input: z.infer<typeof addMemberSchema>): Promise<AddMemberResult> {
  authorize(ctx, "members:manage");
  input = addMemberSchema.parse(input); // normalises the email whoever the caller is
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const [existing] = await tx
      .select({ id: operators.id })
      .from(operators)
      .where(eq(sql`lower(${operators.email})`, input.email))
      .limit(1);
    let operatorId = existing?.id;
    let oneTimePassword: string | null = null;
    if (!operatorId) {
      oneTimePassword = generateOneTimePassword();
      const [created] = await tx
        .insert(operators)
        .values({ email: input.email, name: input.name, passwordHash: await hashPassword(oneTimePassword), mustChangePassword: true })
        .returning({ id: operators.id });
      operatorId = created?.id;
    }
    if (!operatorId) throw new Error("Operator insert returned nothing");
    const inserted = await tx
      .insert(memberships)
      .values({ organisationId: ctx.orgId, operatorId, role: input.role })
      .onConflictDoNothing()
      .returning({ operatorId: memberships.operatorId });
    if (inserted.length === 0) throw conflict(`${input.email} is already a member of this organisation.`);
    await recordAuditEvent(txCtx, {
      action: "member.added",
      targetType: "operator",
      targetId: operatorId,
      details: { email: input.email, role: input.role, newAccount: oneTimePassword !== null },
    });
    return { operatorId, oneTimePassword };
  });
}

async function countAdmins(ctx: ServiceContext): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.organisationId, ctx.orgId), eq(memberships.role, "admin")));
  return row?.n ?? 0;
}

export async function changeMemberRole(ctx: ServiceContext, input: { operatorId: string; role: Role }): Promise<void> {
  authorize(ctx, "members:manage");
  await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    // Lock the organisation's admin rows so two demotions cannot both pass the last-admin check.
    await tx.execute(sql`select 1 from memberships where organisation_id = ${ctx.orgId} and role = 'admin' for update`);
    const [member] = await tx
      .select({ role: memberships.role, email: operators.email })
      .from(memberships)
      .innerJoin(operators, eq(operators.id, memberships.operatorId))
      .where(and(eq(memberships.organisationId, ctx.orgId), eq(memberships.operatorId, input.operatorId)))
      .limit(1);
    if (!member) throw notFound("Member");
    if (member.role === input.role) return;
    if (member.role === "admin" && (await countAdmins(txCtx)) <= 1) {
      throw precondition("An organisation needs at least one admin: make someone else an admin first.");
    }
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.organisationId, ctx.orgId), eq(memberships.operatorId, input.operatorId)));
    await recordAuditEvent(txCtx, {
      action: "member.role_changed",
      targetType: "operator",
      targetId: input.operatorId,
      details: { email: member.email, from: member.role, to: input.role },
    });
  });
}

export async function removeMember(ctx: ServiceContext, input: { operatorId: string }): Promise<void> {
  authorize(ctx, "members:manage");
  await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    await tx.execute(sql`select 1 from memberships where organisation_id = ${ctx.orgId} and role = 'admin' for update`);
    const [member] = await tx
      .select({ role: memberships.role, email: operators.email })
      .from(memberships)
      .innerJoin(operators, eq(operators.id, memberships.operatorId))
      .where(and(eq(memberships.organisationId, ctx.orgId), eq(memberships.operatorId, input.operatorId)))
      .limit(1);
    if (!member) throw notFound("Member");
    if (member.role === "admin" && (await countAdmins(txCtx)) <= 1) {
      throw precondition("You cannot remove the last admin of an organisation.");
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.organisationId, ctx.orgId), eq(memberships.operatorId, input.operatorId)));
    await recordAuditEvent(txCtx, {
      action: "member.removed",
      targetType: "operator",
      targetId: input.operatorId,
      details: { email: member.email, role: member.role },
    });
  });
}

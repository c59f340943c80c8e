import { count, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { memberships, operators, organisations, type Role } from "@/db/schema";
import { z } from "zod";
import { conflict, invalid } from "../errors";
import { generateOneTimePassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../operators/passwords";

/** Bootstrap path (seed, CLI, tests): an organisation and its first admin, idempotent on slug and email. */
export async function ensureOrganisationWithAdmin(input: {
  slug: string;
  name: string;
  admin: { email: string; name: string; password: string };
}): Promise<{ orgId: string; operatorId: string; created: boolean }> {
  return getDb().transaction(async (tx) => {
    const [existing] = await tx.select().from(organisations).where(eq(organisations.slug, input.slug)).limit(1);
    const org = existing ?? (await tx.insert(organisations).values({ slug: input.slug, name: input.name }).returning())[0];
    if (!org) throw new Error("Organisation insert returned nothing");
    const operatorId = await ensureOperator(tx, input.admin);
    await addMembershipIfMissing(tx, org.id, operatorId, "admin");
    return { orgId: org.id, operatorId, created: !existing };
  });
}

async function ensureOperator(tx: DbOrTx, admin: { email: string; name: string; password: string }): Promise<string> {
  const [found] = await tx
    .select({ id: operators.id })
    .from(operators)
    .where(eq(sql`lower(${operators.email})`, admin.email.toLowerCase()))
    .limit(1);
  if (found) return found.id;
  const [created] = await tx
    .insert(operators)
    .values({ email: admin.email, name: admin.name, passwordHash: await hashPassword(admin.password) })
    .returning({ id: operators.id });
  if (!created) throw new Error("Operator insert returned nothing");
  return created.id;
}

async function addMembershipIfMissing(tx: DbOrTx, orgId: string, operatorId: string, role: Role): Promise<void> {
  await tx.insert(memberships).values({ organisationId: orgId, operatorId, role }).onConflictDoNothing();
}

export async function findOrganisationBySlug(slug: string) {
  const [org] = await getDb().select().from(organisations).where(eq(organisations.slug, slug)).limit(1);
  return org ?? null;
}

export const firstAdminSchema = z.object({
  organisationName: z.string().trim().min(1, "Name the organisation.").max(200),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "Use lowercase letters, digits and dashes.")
    .optional(),
  email: z.string().trim().max(320).email("Enter a valid email address."),
  name: z.string().trim().min(1).max(200).default("Administrator"),
  /** The operator's own choice; when absent a one-time password is generated, to be changed at first sign-in. */
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(MAX_PASSWORD_LENGTH).optional(),
});

/**
 * A production installation's first admin (CLI `create-admin`): a new organisation and an admin
 * with the password the operator chose, or a one-time password that must be changed at first
 * sign-in. Refuses an existing organisation slug or operator email rather than touching them.
 */
export async function createFirstAdmin(input: z.input<typeof firstAdminSchema>): Promise<{ orgId: string; slug: string; operatorId: string; oneTimePassword: string | null }> {
  const parsed = firstAdminSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`${issue?.path.join(".") ?? "input"}: ${issue?.message ?? "invalid"}`);
  }
  const { organisationName, email, name, password } = parsed.data;
  const slug =
    parsed.data.slug ??
    (organisationName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 64) || "organisation");
  const oneTimePassword = password === undefined ? generateOneTimePassword() : null;
  const passwordHash = await hashPassword(password ?? oneTimePassword ?? "");
  return getDb().transaction(async (tx) => {
    const [taken] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)).limit(1);
    if (taken) throw conflict(`An organisation with the slug ${slug} already exists; choose another with --slug.`);
    const [existing] = await tx
      .select({ id: operators.id })
      .from(operators)
      .where(eq(sql`lower(${operators.email})`, email.toLowerCase()))
      .limit(1);
    if (existing) throw conflict(`An operator with the email ${email} already exists; an admin of their organisation can add them to another.`);
    const [org] = await tx.insert(organisations).values({ slug, name: organisationName }).returning({ id: organisations.id });
    const [operator] = await tx
      .insert(operators)
      .values({ email, name, passwordHash, mustChangePassword: oneTimePassword !== null })
      .returning({ id: operators.id });
    if (!org || !operator) throw new Error("first admin insert returned nothing");
    await addMembershipIfMissing(tx, org.id, operator.id, "admin");
    return { orgId: org.id, slug, operatorId: operator.id, oneTimePassword };
  });
}

/** How many operator accounts exist: the launcher tells a fresh production installation how to create the first. */
export async function countOperators(): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(operators);
  return row?.n ?? 0;
}

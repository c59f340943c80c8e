import { eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { memberships, operators, organisations, type Role } from "@/db/schema";
import { hashPassword } from "../operators/passwords";

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

// Each test file creates its own organisation and operators, so files can run in parallel.
import { randomUUID } from "node:crypto";
import type { Role } from "@/db/schema";
import { createServiceContext, type ServiceContext } from "@/server/services/context";
import { addMember } from "@/server/services/members/members";
import { setPrivatePartnerUrlsAllowed } from "@/server/services/partner-urls/partner-url-policy";
import { ensureOrganisationWithAdmin } from "@/server/services/organisations/create-organisation";

export interface TestOrg {
  orgId: string;
  slug: string;
  adminId: string;
  adminEmail: string;
  adminPassword: string;
  admin: ServiceContext;
  /** Adds an operator with the role and returns a service context acting as them. */
  addOperator(role: Role): Promise<{ ctx: ServiceContext; operatorId: string; email: string; password: string }>;
}

/**
 * `allowPrivatePartnerUrls` (default true): tests' partners (receivers, the simulator) listen on
 * loopback, which organisations may only reach with that setting on.
 */
export async function createTestOrg(label = "org", options: { allowPrivatePartnerUrls?: boolean } = {}): Promise<TestOrg> {
  const suffix = randomUUID().slice(0, 8);
  const slug = `${label}-${suffix}`;
  const adminEmail = `admin-${suffix}@example.test`;
  const adminPassword = `pw-${randomUUID()}`;
  const { orgId, operatorId } = await ensureOrganisationWithAdmin({ slug, name: `Test ${label}`, admin: { email: adminEmail, name: "Test Admin", password: adminPassword } });
  const admin = createServiceContext(orgId, { type: "operator", operatorId, label: adminEmail, role: "admin" });
  if (options.allowPrivatePartnerUrls ?? true) await setPrivatePartnerUrlsAllowed(admin, true);
  return {
    orgId,
    slug,
    adminId: operatorId,
    adminEmail,
    adminPassword,
    admin,
    async addOperator(role) {
      const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
      const { operatorId: id, oneTimePassword } = await addMember(admin, { email, name: `Test ${role}`, role });
      return { ctx: createServiceContext(orgId, { type: "operator", operatorId: id, label: email, role }), operatorId: id, email, password: oneTimePassword ?? "" };
    },
  };
}

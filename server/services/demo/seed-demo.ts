// The demo organisation a newcomer signs in to. Idempotent: safe on every start.
import { getConfig } from "@/server/config";
import { ensureOrganisationWithAdmin } from "../organisations/create-organisation";

export const DEMO_ORG_SLUG = "demo";

export async function seedDemoOrganisation(): Promise<{ orgId: string; adminEmail: string; created: boolean }> {
  const { demoAdmin } = getConfig();
  const result = await ensureOrganisationWithAdmin({
    slug: DEMO_ORG_SLUG,
    name: "Demo Energy Co-op",
    admin: { email: demoAdmin.email, name: "Demo Admin", password: demoAdmin.password },
  });
  return { orgId: result.orgId, adminEmail: demoAdmin.email, created: result.created };
}

// The demo organisation a newcomer signs in to. Idempotent: safe on every start.
import { getConfig } from "@/server/config";
import { ensureOrganisationWithAdmin } from "../organisations/create-organisation";
import { systemContext } from "../context";
import { setPrivatePartnerUrlsAllowed } from "../partner-urls/partner-url-policy";

export const DEMO_ORG_SLUG = "demo";

export async function seedDemoOrganisation(): Promise<{ orgId: string; adminEmail: string; created: boolean }> {
  const { demoAdmin } = getConfig();
  const result = await ensureOrganisationWithAdmin({
    slug: DEMO_ORG_SLUG,
    name: "Demo Energy Co-op",
    admin: { email: demoAdmin.email, name: "Demo Admin", password: demoAdmin.password },
  });
  // The demo's partner (the simulator's charger platform) listens on loopback.
  await setPrivatePartnerUrlsAllowed(systemContext(result.orgId, "demo seed"), true);
  return { orgId: result.orgId, adminEmail: demoAdmin.email, created: result.created };
}

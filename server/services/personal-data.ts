// Least privilege inside a response: the services decide, by permission, whether the caller
// sees householders' personal data (emails, names), consent evidence (IP address, browser) and
// mail bodies. Viewers see that they exist, masked or withheld; operators, admins and partner
// tokens that read the records see them whole (server/domain/permissions.ts).
import { maskEmail, maskName } from "@/server/domain/masking";
import { can } from "./authorize";
import type { ServiceContext } from "./context";

export function emailFor(ctx: Pick<ServiceContext, "actor">, email: string | null): string | null {
  return email === null || can(ctx, "personal_data:read") ? email : maskEmail(email);
}

export function nameFor(ctx: Pick<ServiceContext, "actor">, name: string | null): string | null {
  return name === null || can(ctx, "personal_data:read") ? name : maskName(name);
}

/** Consent evidence (IP address, browser, link ids) for those who may see it; `{}` otherwise. */
export function evidenceFor<E extends Record<string, unknown>>(ctx: Pick<ServiceContext, "actor">, evidence: E): E | Record<string, never> {
  return can(ctx, "consent_evidence:read") ? evidence : {};
}

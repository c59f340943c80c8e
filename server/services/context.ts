// Every service call carries one context: the database (or transaction), the
// organisation it is scoped to, and who is acting. The organisation is resolved
// once per request by the transport and is never nullable past that point.
import { getDb, type DbOrTx } from "@/db/client";
import type { Role } from "@/db/schema";

export type Actor =
  | { type: "operator"; operatorId: string; label: string; role: Role }
  | { type: "api_client"; clientId: string; label: string; scopes: string[] }
  | { type: "householder"; siteId: string; label: string }
  | { type: "system"; label: string };

export interface ServiceContext {
  db: DbOrTx;
  orgId: string;
  actor: Actor;
}

export function createServiceContext(orgId: string, actor: Actor): ServiceContext {
  return { db: getDb(), orgId, actor };
}

export function systemContext(orgId: string, label = "system"): ServiceContext {
  return { db: getDb(), orgId, actor: { type: "system", label } };
}

export function actorFields(actor: Actor): { actorType: string; actorId: string | null; actorLabel: string } {
  switch (actor.type) {
    case "operator":
      return { actorType: "operator", actorId: actor.operatorId, actorLabel: actor.label };
    case "api_client":
      return { actorType: "api_client", actorId: actor.clientId, actorLabel: actor.label };
    case "householder":
      return { actorType: "householder", actorId: actor.siteId, actorLabel: actor.label };
    case "system":
      return { actorType: "system", actorId: null, actorLabel: actor.label };
  }
}

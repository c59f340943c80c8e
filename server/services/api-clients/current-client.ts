// Who a bearer token speaks for, in the entities dialect's terms: its roles are derived from the
// token's scopes (one scope may grant several roles; a role appears once).
import type { ApiScope } from "@/server/domain/api-scopes";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { forbidden } from "../errors";

const ROLES_BY_SCOPE: Readonly<Record<ApiScope, readonly string[]>> = {
  "entities:read": ["entity_read", "lookup"],
  "entities:write": ["entity_write", "components"],
  "events:write": ["entity_write"],
  "readings:write": ["metrics_write"],
  "rewards:read": ["rewards"],
  "users:read": [],
  "users:write": [],
  "webhooks:manage": [],
  "schedule_endpoint:manage": [],
};

export interface CurrentApiUser {
  username: string;
  roles: string[];
}

export function describeCurrentApiUser(ctx: ServiceContext): CurrentApiUser {
  authorize(ctx, "api:identity");
  if (ctx.actor.type !== "api_client") throw forbidden("Only an API client's token has roles to show.");
  const roles = ctx.actor.scopes.flatMap((scope) => ROLES_BY_SCOPE[scope as ApiScope] ?? []);
  return { username: ctx.actor.label, roles: [...new Set(roles)] };
}

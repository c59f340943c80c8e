// The services' side of the permission table (server/domain/permissions.ts): every service
// entry point starts with `authorize(ctx, permission)`, whatever transport called it, so a
// route or procedure that forgets its declaration still cannot reach the data.
import { isGranted, refusalMessage, type Permission, type PermissionHolder } from "@/server/domain/permissions";
import type { Actor, ServiceContext } from "./context";
import { forbidden } from "./errors";

export function permissionHolder(actor: Actor): PermissionHolder {
  switch (actor.type) {
    case "operator":
      return { type: "operator", role: actor.role };
    case "api_client":
      return { type: "api_client", scopes: actor.scopes };
    case "householder":
      return { type: "householder" };
    case "system":
      return { type: "system" };
  }
}

/** Whether the caller holds `permission`: for what a response shows (masking), not for refusing. */
export function can(ctx: Pick<ServiceContext, "actor">, permission: Permission): boolean {
  return isGranted(permissionHolder(ctx.actor), permission);
}

/** Refuses the call (403, with a message for people) unless the caller holds `permission`. */
export function authorize(ctx: Pick<ServiceContext, "actor">, permission: Permission): void {
  const holder = permissionHolder(ctx.actor);
  if (!isGranted(holder, permission)) throw forbidden(refusalMessage(holder, permission));
}

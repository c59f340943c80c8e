// Transports declare the permission a procedure or route needs and refuse early from the same
// table the services check again (server/domain/permissions.ts); they never decide on their own.
import { isGranted, refusalMessage, type Permission } from "@/server/domain/permissions";
import { permissionHolder } from "@/server/services/authorize";
import type { Actor } from "@/server/services/context";

/** Why `actor` may not use something declared with `permissions` (all of them needed), or null. */
export function refusalFor(actor: Actor, permissions: readonly Permission[]): string | null {
  const holder = permissionHolder(actor);
  const missing = permissions.find((permission) => !isGranted(holder, permission));
  return missing === undefined ? null : refusalMessage(holder, missing);
}

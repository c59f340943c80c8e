"use client";

import { createContext, useContext, type ReactNode } from "react";
import { isGranted, type Permission } from "@/server/domain/permissions";

export type Role = "admin" | "operator" | "viewer";

const RoleContext = createContext<Role>("viewer");

/** The UI hides what a role may not do; the server refuses it regardless. */
export function RoleProvider({ role, children }: { role: Role; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

/**
 * What the signed-in operator may do, read from the server's permission table
 * (server/domain/permissions.ts): the UI hides exactly what the server refuses. Pages ask
 * `can("sites:write")`, never the role itself.
 */
export function useRole(): { can: (permission: Permission) => boolean } {
  const role = useContext(RoleContext);
  return { can: (permission) => isGranted({ type: "operator", role }, permission) };
}

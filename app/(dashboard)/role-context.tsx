"use client";

import { createContext, useContext, type ReactNode } from "react";
import { isGranted, type Permission } from "@/server/domain/permissions";

export type Role = "admin" | "operator" | "viewer";

const RoleContext = createContext<Role>("viewer");

/** The UI hides what a role may not do; the server refuses it regardless. */
export function RoleProvider({ role, children }: { role: Role; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

export function useRole(): { role: Role; canWrite: boolean; isAdmin: boolean; can: (permission: Permission) => boolean } {
  const role = useContext(RoleContext);
  // `can` reads the server's permission table, so the UI hides exactly what the server refuses.
  return { role, canWrite: role !== "viewer", isAdmin: role === "admin", can: (permission) => isGranted({ type: "operator", role }, permission) };
}

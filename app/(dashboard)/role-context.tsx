"use client";

import { createContext, useContext, type ReactNode } from "react";

export type Role = "admin" | "operator" | "viewer";

const RoleContext = createContext<Role>("viewer");

/** The UI hides what a role may not do; the server refuses it regardless. */
export function RoleProvider({ role, children }: { role: Role; children: ReactNode }) {
  return <RoleContext.Provider value={role}>{children}</RoleContext.Provider>;
}

export function useRole(): { role: Role; canWrite: boolean; isAdmin: boolean } {
  const role = useContext(RoleContext);
  return { role, canWrite: role !== "viewer", isAdmin: role === "admin" };
}

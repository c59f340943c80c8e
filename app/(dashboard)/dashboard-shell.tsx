"use client";

import type { ReactNode } from "react";
import { RoleProvider, type Role } from "./role-context";

// Placeholder until components/layout/app-shell.tsx lands.
export function DashboardShell(props: {
  operator: { name: string; email: string; role: Role };
  currentOrgId: string;
  organisations: { id: string; name: string; role: Role }[];
  children: ReactNode;
}) {
  return <RoleProvider role={props.operator.role}>{props.children}</RoleProvider>;
}

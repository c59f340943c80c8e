import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getOperatorSession } from "@/server/auth/next-auth";
import { DashboardShell } from "./dashboard-shell";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const operator = await getOperatorSession();
  if (!operator) redirect("/sign-in");
  if (operator.mustChangePassword) redirect("/account/password");
  if (!operator.current) {
    return (
      <main className="flex min-h-screen items-center justify-center p-6 text-center">
        <div className="max-w-md">
          <h1 className="text-xl font-semibold">No organisation</h1>
          <p className="mt-2 text-zinc-600">Your account is not a member of any organisation. Ask an admin to add you again.</p>
          <a className="mt-4 inline-block text-indigo-600 underline" href="/sign-out">
            Sign out
          </a>
        </div>
      </main>
    );
  }
  return (
    <DashboardShell
      operator={{ name: operator.name, email: operator.email, role: operator.current.role }}
      currentOrgId={operator.current.orgId}
      organisations={operator.memberships.map((m) => ({ id: m.orgId, name: m.orgName, role: m.role }))}
    >
      {children}
    </DashboardShell>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getOperatorSession } from "@/server/auth/next-auth";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Choose a password" };

export default async function ChangePasswordPage() {
  const operator = await getOperatorSession();
  if (!operator) redirect("/sign-in?callbackUrl=/account/password");
  return (
    <>
      <h1 className="text-xl font-semibold">{operator.mustChangePassword ? "Choose your password" : "Change password"}</h1>
      <p className="mt-1 text-sm text-zinc-600">
        {operator.mustChangePassword
          ? "You signed in with a one-time password. Choose your own to continue."
          : "Enter your current password and the new one."}
      </p>
      <ChangePasswordForm email={operator.email} currentLabel={operator.mustChangePassword ? "One-time password" : "Current password"} />
    </>
  );
}

import type { Metadata } from "next";
import { SignOutButton } from "./sign-out-button";

export const metadata: Metadata = { title: "Sign out" };

export default function SignOutPage() {
  return (
    <>
      <h1 className="text-xl font-semibold">Sign out</h1>
      <p className="mt-1 text-sm text-zinc-600">You will need your email and password to come back.</p>
      <SignOutButton />
    </>
  );
}

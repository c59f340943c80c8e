"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <div className="mt-6 flex gap-3">
      <Button
        variant="primary"
        loading={pending}
        onClick={() => {
          setPending(true);
          void signOut({ callbackUrl: "/sign-in" });
        }}
      >
        Sign out
      </Button>
      <Button variant="ghost" onClick={() => history.back()}>
        Stay signed in
      </Button>
    </div>
  );
}

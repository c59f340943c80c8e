"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/input-field";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf } from "@/app/_trpc/errors";
import { FormErrorNotice } from "@/app/_trpc/form-error-notice";

export function ChangePasswordForm({ currentLabel, email }: { currentLabel: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirmError, setConfirmError] = useState<string | undefined>();
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      // A new password ends every session, this browser's too: sign this one in again with it.
      onSuccess: async (_data, variables) => {
        const again = await signIn("credentials", { email, password: variables.newPassword, redirect: false });
        router.replace(again?.ok ? "/" : "/sign-in");
        router.refresh();
      },
    }),
  );
  const errors = fieldErrorsOf(change.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const newPassword = String(data.get("newPassword") ?? "");
    if (newPassword !== String(data.get("confirmPassword") ?? "")) {
      setConfirmError("The two new passwords do not match.");
      return;
    }
    setConfirmError(undefined);
    change.mutate({ currentPassword: String(data.get("currentPassword") ?? ""), newPassword });
  }

  return (
    <form method="post" className="mt-6 space-y-4" onSubmit={onSubmit} noValidate>
      <FormErrorNotice error={change.error} />
      <InputField label={currentLabel} name="currentPassword" type="password" autoComplete="current-password" required error={errors.currentPassword} />
      <InputField label="New password" name="newPassword" type="password" autoComplete="new-password" required hint="At least 8 characters." error={errors.newPassword} />
      <InputField label="Repeat the new password" name="confirmPassword" type="password" autoComplete="new-password" required error={confirmError} />
      <Button type="submit" variant="primary" fullWidth loading={change.isPending}>
        Save password
      </Button>
    </form>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { SelectField } from "@/components/ui/select-field";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf } from "@/app/_trpc/errors";
import type { Role } from "../../role-context";
import { FormErrorNotice } from "@/app/_trpc/form-error-notice";

export function AddMemberForm({ onAdded }: { onAdded: () => void }) {
  const trpc = useTRPC();
  const [added, setAdded] = useState<{ email: string; oneTimePassword: string | null } | null>(null);
  const add = useMutation(trpc.members.add.mutationOptions());
  const errors = fieldErrorsOf(add.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const input = { email: String(data.get("email") ?? ""), name: String(data.get("name") ?? ""), role: String(data.get("role") ?? "operator") as Role };
    setAdded(null);
    add.mutate(input, {
      onSuccess: (result) => {
        setAdded({ email: input.email, oneTimePassword: result.oneTimePassword });
        form.reset();
        onAdded();
      },
    });
  }

  return (
    <Card title="Add a member" description="New operators get a one-time password to give them; they choose their own at first sign-in.">
      <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-[1fr_1fr_12rem_auto] sm:items-end">
        <InputField label="Name" name="name" required error={errors.name} />
        <InputField label="Email" name="email" type="email" required error={errors.email} />
        <SelectField
          label="Role"
          name="role"
          defaultValue="operator"
          error={errors.role}
          options={[
            { value: "operator", label: "Operator" },
            { value: "viewer", label: "Viewer" },
            { value: "admin", label: "Admin" },
          ]}
        />
        <Button type="submit" variant="primary" loading={add.isPending}>
          Add member
        </Button>
      </form>
      <FormErrorNotice error={add.error} className="mt-4" />
      {added ? (
        <div className="mt-4">
          {added.oneTimePassword ? (
            <SecretReveal secret={added.oneTimePassword} label={`One-time password for ${added.email}`} warning="Give this to them now: it will not be shown again. They must choose their own password when they first sign in." />
          ) : (
            <Notice tone="success">{added.email} already had an account and was added to this organisation.</Notice>
          )}
        </div>
      ) : null}
    </Card>
  );
}

"use client";

import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { signInFormSchema } from "./sign-in-schema";

type FieldErrors = Partial<Record<"email" | "password", string>>;

const nextAuthErrors: Record<string, string> = {
  CredentialsSignin: "The email or password is incorrect.",
  SessionRequired: "Sign in to see that page.",
};

function safeCallbackUrl(raw: string | null): string {
  // Only same-site paths: never bounce a fresh session to another origin.
  return raw && raw.startsWith("/") && !raw.startsWith("//") ? raw : "/";
}

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(() => {
    const e = params.get("error");
    // Codes Next-Auth adds to the URL are not for people: an unknown one reads as a plain retry.
    return e ? (nextAuthErrors[e] ?? "Signing in did not work. Try again.") : null;
  });
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const parsed = signInFormSchema.safeParse({ email: data.get("email"), password: data.get("password") });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if ((key === "email" || key === "password") && !errors[key]) errors[key] = issue.message;
      }
      setFieldErrors(errors);
      setFormError(null);
      return;
    }
    setFieldErrors({});
    setPending(true);
    const result = await signIn("credentials", { ...parsed.data, redirect: false });
    setPending(false);
    if (!result || result.error) {
      setFormError(result?.error ? (nextAuthErrors[result.error] ?? result.error) : "Sign-in failed. Try again.");
      return;
    }
    router.replace(safeCallbackUrl(params.get("callbackUrl")));
    router.refresh();
  }

  return (
    <form method="post" className="mt-6 space-y-4" onSubmit={onSubmit} noValidate aria-label="Sign in">
      {formError ? (
        <Notice tone="danger">
          {formError}
        </Notice>
      ) : null}
      <InputField label="Email" name="email" type="email" autoComplete="email" required error={fieldErrors.email} autoFocus />
      <InputField label="Password" name="password" type="password" autoComplete="current-password" required error={fieldErrors.password} />
      <Button type="submit" variant="primary" fullWidth loading={pending}>
        Sign in
      </Button>
    </form>
  );
}

"use client";

import { useFormStatus } from "react-dom";
import type { ReactNode } from "react";

/** A submit button that says it is working while the choice is being recorded. */
export function SubmitButton({ name, value, variant, children }: { name: string; value: string; variant: "primary" | "secondary"; children: ReactNode }) {
  const { pending } = useFormStatus();
  const classes =
    variant === "primary"
      ? "bg-indigo-600 text-white hover:bg-indigo-700 focus-visible:outline-indigo-600"
      : "bg-white text-zinc-900 ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 focus-visible:outline-indigo-600";
  return (
    <button
      type="submit"
      name={name}
      value={value}
      disabled={pending}
      aria-disabled={pending}
      className={`inline-flex min-h-11 w-full items-center justify-center rounded-lg px-4 py-2.5 text-base font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-60 sm:w-auto ${classes}`}
    >
      {children}
    </button>
  );
}

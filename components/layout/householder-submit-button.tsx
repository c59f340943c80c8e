"use client";

import { useFormStatus } from "react-dom";
import type { ReactNode } from "react";

export interface HouseholderSubmitButtonProps {
  children: ReactNode;
  variant?: "primary" | "secondary";
  /** Sent with the form when this button submits it (a form with one button per choice). */
  name?: string;
  value?: string;
  disabled?: boolean;
  /** Shown instead of the label while the form is being sent; by default the label stays. */
  pendingLabel?: ReactNode;
}

/** The householder pages' submit button: large touch target, disabled while the form is being sent. */
export function HouseholderSubmitButton({ children, variant = "primary", name, value, disabled = false, pendingLabel }: HouseholderSubmitButtonProps) {
  const { pending } = useFormStatus();
  const classes =
    variant === "primary"
      ? "bg-indigo-600 text-white hover:bg-indigo-700 focus-visible:outline-indigo-600"
      : "bg-white text-zinc-900 ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 focus-visible:outline-indigo-600";
  return (
    <button
      type="submit"
      {...(name !== undefined ? { name } : {})}
      {...(value !== undefined ? { value } : {})}
      disabled={pending || disabled}
      aria-disabled={pending || disabled}
      className={`inline-flex min-h-11 w-full items-center justify-center rounded-lg px-4 py-2.5 text-base font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-60 sm:w-auto ${classes}`}
    >
      {pending && pendingLabel !== undefined ? pendingLabel : children}
    </button>
  );
}

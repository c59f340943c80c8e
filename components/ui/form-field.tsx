import type { ReactNode } from "react";
import { cx } from "../lib/class-names";

/** Element ids that tie a control to its hint and error text. */
export function fieldIds(id: string) {
  return { hintId: `${id}-hint`, errorId: `${id}-error` };
}

/** The aria attributes a control needs so screen readers announce its hint and error. */
export function fieldAria(id: string, options: { hint?: ReactNode; error?: ReactNode }) {
  const { hintId, errorId } = fieldIds(id);
  const describedBy = [options.error ? errorId : null, options.hint ? hintId : null]
    .filter(Boolean)
    .join(" ");
  return {
    "aria-invalid": options.error ? (true as const) : undefined,
    "aria-describedby": describedBy || undefined,
  };
}

export type FormFieldProps = {
  /** The id of the control inside; the label points at it. */
  htmlFor: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  /** Hide the label visually but keep it for screen readers (e.g. a search box in a filter bar). */
  hideLabel?: boolean;
  className?: string;
  children: ReactNode;
};

/**
 * Label, control, hint and error in the standard layout. Give the control `id={htmlFor}` and
 * spread `fieldAria(htmlFor, { hint, error })` onto it; the ready-made InputField, SelectField
 * and TextareaField do this for you.
 */
export function FormField({
  htmlFor,
  label,
  hint,
  error,
  required,
  hideLabel,
  className,
  children,
}: FormFieldProps) {
  const { hintId, errorId } = fieldIds(htmlFor);
  return (
    <div className={cx("space-y-1.5", className)}>
      <label
        htmlFor={htmlFor}
        className={cx("block text-sm font-medium text-zinc-900", hideLabel && "sr-only")}
      >
        {label}
        {required ? (
          <span className="ml-0.5 text-red-600" aria-hidden="true">
            *
          </span>
        ) : null}
      </label>
      {children}
      {hint ? (
        <p id={hintId} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
      {error ? <FieldError id={errorId}>{error}</FieldError> : null}
    </div>
  );
}

export function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="flex items-start gap-1 text-xs font-medium text-red-600">
      {children}
    </p>
  );
}

/** Shared look for text-like controls, with an invalid state driven by aria-invalid. */
export const controlClassName =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 shadow-xs " +
  "placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-2 focus:outline-offset-0 focus:outline-indigo-500/30 " +
  "disabled:cursor-not-allowed disabled:bg-zinc-50 disabled:text-zinc-500 " +
  "aria-invalid:border-red-500 aria-invalid:focus:border-red-500 aria-invalid:focus:outline-red-500/30";

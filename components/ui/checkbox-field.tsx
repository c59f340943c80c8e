"use client";

import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from "react";
import { cx } from "../lib/class-names";
import { FieldError, fieldAria, fieldIds } from "./form-field";

export type CheckboxFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  containerClassName?: string;
  ref?: Ref<HTMLInputElement>;
};

/** A checkbox with its label to the right and the hint under the label, as in most settings forms. */
export function CheckboxField({
  label,
  hint,
  error,
  id,
  className,
  containerClassName,
  ref,
  ...props
}: CheckboxFieldProps) {
  const generatedId = useId();
  const checkboxId = id ?? generatedId;
  const { hintId, errorId } = fieldIds(checkboxId);
  return (
    <div className={cx("flex gap-3", containerClassName)}>
      <div className="flex h-5 items-center">
        <input
          ref={ref}
          id={checkboxId}
          type="checkbox"
          className={cx(
            "size-4 rounded accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600",
            "disabled:cursor-not-allowed aria-invalid:outline-2 aria-invalid:outline-red-500",
            className,
          )}
          {...fieldAria(checkboxId, { hint, error })}
          {...props}
        />
      </div>
      <div className="min-w-0 text-sm">
        <label htmlFor={checkboxId} className="font-medium text-zinc-900">
          {label}
        </label>
        {hint ? (
          <p id={hintId} className="text-xs text-zinc-500">
            {hint}
          </p>
        ) : null}
        {error ? <FieldError id={errorId}>{error}</FieldError> : null}
      </div>
    </div>
  );
}

"use client";

import { useId, type ReactNode, type Ref, type TextareaHTMLAttributes } from "react";
import { cx } from "../lib/class-names";
import { controlClassName, fieldAria, FormField } from "./form-field";

export type TextareaFieldProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  hideLabel?: boolean;
  containerClassName?: string;
  ref?: Ref<HTMLTextAreaElement>;
};

export function TextareaField({
  label,
  hint,
  error,
  hideLabel,
  id,
  className,
  containerClassName,
  required,
  rows = 4,
  ref,
  ...props
}: TextareaFieldProps) {
  const generatedId = useId();
  const textareaId = id ?? generatedId;
  return (
    <FormField
      htmlFor={textareaId}
      label={label}
      hint={hint}
      error={error}
      required={required}
      hideLabel={hideLabel}
      className={containerClassName}
    >
      <textarea
        ref={ref}
        id={textareaId}
        rows={rows}
        required={required}
        className={cx(controlClassName, "resize-y", className)}
        {...fieldAria(textareaId, { hint, error })}
        {...props}
      />
    </FormField>
  );
}

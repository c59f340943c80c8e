"use client";

import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from "react";
import { cx } from "../lib/class-names";
import { controlClassName, fieldAria, FormField } from "./form-field";

export type InputFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "size"> & {
  label: ReactNode;
  hint?: ReactNode;
  /** Error text; its presence marks the field invalid. */
  error?: ReactNode;
  hideLabel?: boolean;
  /** Text or icon fixed inside the right edge, e.g. a unit ("kW"). */
  suffix?: ReactNode;
  containerClassName?: string;
  ref?: Ref<HTMLInputElement>;
};

export function InputField({
  label,
  hint,
  error,
  hideLabel,
  suffix,
  id,
  className,
  containerClassName,
  required,
  ref,
  ...props
}: InputFieldProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  return (
    <FormField
      htmlFor={inputId}
      label={label}
      hint={hint}
      error={error}
      required={required}
      hideLabel={hideLabel}
      className={containerClassName}
    >
      <div className="relative">
        <input
          ref={ref}
          id={inputId}
          required={required}
          className={cx(controlClassName, suffix ? "pr-12" : undefined, className)}
          {...fieldAria(inputId, { hint, error })}
          {...props}
        />
        {suffix ? (
          <span className="pointer-events-none absolute inset-y-0 right-0 flex items-center pr-3 text-sm text-zinc-500">
            {suffix}
          </span>
        ) : null}
      </div>
    </FormField>
  );
}

"use client";

import { useId, type ReactNode, type Ref, type SelectHTMLAttributes } from "react";
import { cx } from "../lib/class-names";
import { controlClassName, fieldAria, FormField } from "./form-field";
import { ChevronDownIcon } from "./icons";

export type SelectOption = { value: string; label: string; disabled?: boolean };

export type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "children"> & {
  label: ReactNode;
  options: SelectOption[];
  /** Adds a first, empty option (e.g. "Choose a site…" or "All statuses"). */
  placeholder?: string;
  hint?: ReactNode;
  error?: ReactNode;
  hideLabel?: boolean;
  containerClassName?: string;
  ref?: Ref<HTMLSelectElement>;
};

export function SelectField({
  label,
  options,
  placeholder,
  hint,
  error,
  hideLabel,
  id,
  className,
  containerClassName,
  required,
  ref,
  ...props
}: SelectFieldProps) {
  const generatedId = useId();
  const selectId = id ?? generatedId;
  return (
    <FormField
      htmlFor={selectId}
      label={label}
      hint={hint}
      error={error}
      required={required}
      hideLabel={hideLabel}
      className={containerClassName}
    >
      <div className="relative">
        <select
          ref={ref}
          id={selectId}
          required={required}
          className={cx(controlClassName, "appearance-none pr-9", className)}
          {...fieldAria(selectId, { hint, error })}
          {...props}
        >
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value} disabled={option.disabled}>
              {option.label}
            </option>
          ))}
        </select>
        <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-zinc-500" />
      </div>
    </FormField>
  );
}

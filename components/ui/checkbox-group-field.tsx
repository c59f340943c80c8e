"use client";

import type { ReactNode } from "react";
import { CheckboxField } from "./checkbox-field";

export interface CheckboxGroupOption {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
  defaultChecked?: boolean;
}

export type CheckboxGroupFieldProps = {
  legend: ReactNode;
  description?: ReactNode;
  /** Every box shares this name, so FormData.getAll(name) gives the ticked values. */
  name: string;
  options: readonly CheckboxGroupOption[];
  error?: ReactNode;
};

/** A fieldset of checkboxes in two columns, for picking several values (scopes, event types). */
export function CheckboxGroupField({ legend, description, name, options, error }: CheckboxGroupFieldProps) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-zinc-900">{legend}</legend>
      {description ? <p className="text-sm text-zinc-600">{description}</p> : null}
      <div className="mt-2 grid gap-2 sm:grid-cols-2">
        {options.map((option) => (
          <CheckboxField
            key={option.value}
            name={name}
            value={option.value}
            label={option.label}
            hint={option.hint}
            {...(option.defaultChecked ? { defaultChecked: true } : {})}
          />
        ))}
      </div>
      {error ? (
        <p className="mt-1 text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

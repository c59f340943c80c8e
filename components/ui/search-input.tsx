"use client";

import { useEffect, useId, useRef, useState } from "react";
import { cx } from "../lib/class-names";
import { controlClassName } from "./form-field";
import { CloseIcon, SearchIcon } from "./icons";

export type SearchInputProps = {
  /** Called with the trimmed text once typing pauses for `debounceMs`, and at once on Enter or clear. */
  onChange: (value: string) => void;
  debounceMs?: number;
  /** Initial text, e.g. from the URL's `q`; later changes to it do not override what the user typed. */
  defaultValue?: string;
  /** Accessible label; visually hidden. */
  label?: string;
  placeholder?: string;
  name?: string;
  className?: string;
};

export function SearchInput({
  onChange,
  debounceMs = 300,
  defaultValue = "",
  label = "Search",
  placeholder = "Search…",
  name,
  className,
}: SearchInputProps) {
  const id = useId();
  const [value, setValue] = useState(defaultValue);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Held in a ref so a parent that passes a new arrow function each render does not reset the debounce.
  const onChangeRef = useRef(onChange);
  const lastEmitted = useRef(defaultValue.trim());

  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  function emit(next: string) {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const trimmed = next.trim();
    if (trimmed === lastEmitted.current) return;
    lastEmitted.current = trimmed;
    onChangeRef.current(trimmed);
  }

  function schedule(next: string) {
    setValue(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => emit(next), debounceMs);
  }

  return (
    <div role="search" className={cx("relative w-full sm:max-w-xs", className)}>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-400" />
      <input
        id={id}
        type="search"
        name={name}
        value={value}
        placeholder={placeholder}
        autoComplete="off"
        onChange={(event) => schedule(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            emit(value);
          }
        }}
        className={cx(controlClassName, "pr-8 pl-8 [&::-webkit-search-cancel-button]:hidden")}
      />
      {value ? (
        <button
          type="button"
          onClick={() => {
            setValue("");
            emit("");
          }}
          className="absolute top-1/2 right-1.5 -translate-y-1/2 rounded p-1 text-zinc-400 hover:text-zinc-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          <span className="sr-only">Clear search</span>
          <CloseIcon className="size-3.5" />
        </button>
      ) : null}
    </div>
  );
}

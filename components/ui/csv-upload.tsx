"use client";

import type { ChangeEvent } from "react";

/** A chosen CSV file, read as text. */
export interface CsvFile {
  name: string;
  text: string;
}

/**
 * The labelled file input of the dashboard's CSV uploads (meter registry, market prices, asset
 * models). `onFile` receives the file read as text, or null when the choice was cleared.
 * `clearAfterRead` empties the input, so choosing the same file again (once corrected) reads it again.
 */
export function CsvFileInput({
  id,
  label = "CSV file",
  disabled,
  clearAfterRead,
  onFile,
}: {
  id: string;
  label?: string;
  disabled?: boolean;
  clearAfterRead?: boolean;
  onFile: (file: CsvFile | null) => void;
}) {
  async function onChange(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (clearAfterRead) input.value = "";
    onFile(file ? { name: file.name, text: await file.text() } : null);
  }
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium text-zinc-900">
        {label}
      </label>
      <input
        id={id}
        type="file"
        accept=".csv,text/csv"
        disabled={disabled}
        onChange={(event) => void onChange(event)}
        className="mt-1 block w-full text-sm text-zinc-700 file:mr-3 file:rounded-md file:border-0 file:bg-zinc-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-zinc-200"
      />
    </div>
  );
}

/** One problem a CSV check found: the file's line (0 or less: the file as a whole) and column. */
export interface CsvProblem {
  line: number;
  column?: string | undefined;
  message: string;
}

/**
 * The problems of a checked CSV file as a list for a Notice: "Line 4, supplier name: …", the
 * first `limit` of them, then how many more there are (`more` counts those the server did not send).
 */
export function CsvProblemList({ problems, more = 0, limit = 20 }: { problems: readonly CsvProblem[]; more?: number; limit?: number }) {
  const hidden = Math.max(0, problems.length - limit) + more;
  return (
    <ul className="mt-1 list-disc space-y-1 pl-5">
      {problems.slice(0, limit).map((problem, index) => (
        <li key={index}>
          {problem.line > 0 ? (
            <span className="font-medium">
              Line {problem.line}
              {problem.column ? `, ${problem.column.replace(/_/g, " ")}` : ""}:{" "}
            </span>
          ) : null}
          {problem.message}
        </li>
      ))}
      {hidden > 0 ? <li>…and {hidden} more</li> : null}
    </ul>
  );
}

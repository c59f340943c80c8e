// Input that no schema should have to think about, refused once where a request enters
// (the REST adapter and the tRPC procedures share this): text PostgreSQL cannot store
// (a NUL character, refused by text and jsonb alike), text that is not Unicode (a lone
// UTF-16 surrogate from a `\ud800` escape) and nesting deep enough to exhaust a recursive
// walker further in. Keys are checked as well as values: free-form objects reach jsonb columns.
import { z } from "zod";

/** Deeper than any request we define (the deepest is about 6); far below what overflows a stack. */
export const MAX_INPUT_DEPTH = 32;

export type UnsafeInputType = "string_contains_nul" | "string_not_unicode" | "nesting_too_deep";

export interface UnsafeInputIssue {
  path: (string | number)[];
  message: string;
  type: UnsafeInputType;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string, what: "Text" | "A field name"): { message: string; type: UnsafeInputType } | null {
  if (text.includes("\u0000")) return { message: `${what} must not contain the NUL character (\\u0000)`, type: "string_contains_nul" };
  if (LONE_SURROGATE.test(text)) return { message: `${what} must be valid Unicode: it contains an unpaired surrogate`, type: "string_not_unicode" };
  return null;
}

/** Every unsafe string, field name or over-deep value in `input`, with where it is. Iterative, so any depth is safe to walk. */
export function findUnsafeInput(input: unknown): UnsafeInputIssue[] {
  const issues: UnsafeInputIssue[] = [];
  type Pending = { value: unknown; path: (string | number)[]; isKey?: boolean };
  const pending: Pending[] = [{ value: input, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === "string") {
      const problem = textProblem(value, next.isKey ? "A field name" : "Text");
      if (problem) issues.push({ path, ...problem });
      continue;
    }
    if (value === null || typeof value !== "object" || value instanceof Date) continue;
    if (path.length >= MAX_INPUT_DEPTH) {
      issues.push({ path, message: `Values may be nested at most ${MAX_INPUT_DEPTH} levels deep`, type: "nesting_too_deep" });
      continue;
    }
    const children: Pending[] = [];
    if (Array.isArray(value)) value.forEach((item, index) => children.push({ value: item, path: [...path, index] }));
    else {
      for (const [key, child] of Object.entries(value)) {
        children.push({ value: key, path: [...path, key], isKey: true }, { value: child, path: [...path, key] });
      }
    }
    // Reversed onto the stack so that issues come out in document order.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index] as Pending);
  }
  return issues;
}

/** The issues as a zod error, so each transport reports them exactly like its schema errors. */
export function unsafeInputError(input: unknown): z.ZodError | null {
  const issues = findUnsafeInput(input);
  if (issues.length === 0) return null;
  // Built by a parse rather than `new ZodError`, which (in zod 4) is not an Error instance and so loses its issues inside a TRPCError.
  const reported = z.unknown().superRefine((_value, ctx) => {
    for (const issue of issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message, params: { type: issue.type } });
  });
  return reported.safeParse(input).error ?? null;
}

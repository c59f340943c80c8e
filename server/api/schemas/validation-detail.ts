// Turns zod issues into the entities dialect's 422 body: one entry per problem with
// `loc` (where), `msg` (for people) and `type` (for programs), in the shape
// partners' existing error handling already parses.
import type { z } from "zod";
import type { HttpValidationError, ValidationErrorItem } from "./entities-common";

export type RequestLocation = "body" | "query" | "path" | "header";

type Issue = z.core.$ZodIssue;
type PathKey = string | number;

const quote = (value: unknown): string => (typeof value === "string" ? `'${value}'` : String(value));

function listOf(values: readonly unknown[]): string {
  const quoted = values.map(quote);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1] ?? ""}`;
}

function valueAt(input: unknown, path: readonly PathKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PathKey, unknown>)[key];
  }
  return current;
}

const TYPE_BY_EXPECTED: Readonly<Record<string, [string, string]>> = {
  string: ["string_type", "Input should be a valid string"],
  number: ["float_type", "Input should be a valid number"],
  int: ["int_type", "Input should be a valid integer"],
  boolean: ["bool_type", "Input should be a valid boolean"],
  object: ["dict_type", "Input should be a valid object"],
  array: ["list_type", "Input should be a valid list"],
  date: ["date_type", "Input should be a valid date"],
};

const FORMAT_TYPES: Readonly<Record<string, [string, string]>> = {
  guid: ["uuid_parsing", "Input should be a valid UUID"],
  uuid: ["uuid_parsing", "Input should be a valid UUID"],
  datetime: ["datetime_parsing", "Input should be a valid date-time with a time zone, e.g. 2026-01-01T12:00:00Z"],
  date: ["date_parsing", "Input should be a valid date, YYYY-MM-DD"],
  time: ["time_parsing", "Input should be a valid time, HH:MM[:SS]"],
  email: ["value_error", "Value is not a valid email address"],
};

function describeIssue(issue: Issue, missing: boolean, location: RequestLocation): { type: string; msg: string } {
  switch (issue.code) {
    case "invalid_type": {
      if (missing) return { type: "missing", msg: "Field required" };
      // Query and path values arrive as text; a failed number coercion is a parse error.
      if (issue.expected === "number" && (location === "query" || location === "path")) {
        return { type: "int_parsing", msg: "Input should be a valid integer" };
      }
      const [type, msg] = TYPE_BY_EXPECTED[issue.expected] ?? ["type_error", `Input should be a valid ${issue.expected}`];
      return { type, msg };
    }
    case "too_small": {
      const bound = String(issue.minimum);
      if (issue.origin === "string") return { type: "string_too_short", msg: `String should have at least ${bound} characters` };
      if (issue.origin === "array" || issue.origin === "set") return { type: "too_short", msg: `List should have at least ${bound} items` };
      return issue.inclusive === false
        ? { type: "greater_than", msg: `Input should be greater than ${bound}` }
        : { type: "greater_than_equal", msg: `Input should be greater than or equal to ${bound}` };
    }
    case "too_big": {
      const bound = String(issue.maximum);
      if (issue.origin === "string") return { type: "string_too_long", msg: `String should have at most ${bound} characters` };
      if (issue.origin === "array" || issue.origin === "set") return { type: "too_long", msg: `List should have at most ${bound} items` };
      return issue.inclusive === false
        ? { type: "less_than", msg: `Input should be less than ${bound}` }
        : { type: "less_than_equal", msg: `Input should be less than or equal to ${bound}` };
    }
    case "invalid_value":
      return issue.values.length === 1
        ? { type: "literal_error", msg: `Input should be ${quote(issue.values[0])}` }
        : { type: "enum", msg: `Input should be ${listOf(issue.values)}` };
    case "invalid_format": {
      const [type, msg] = FORMAT_TYPES[issue.format] ?? ["string_pattern_mismatch", `Input should match the ${issue.format} format`];
      return { type, msg };
    }
    case "not_multiple_of":
      return { type: "multiple_of", msg: `Input should be a multiple of ${String(issue.divisor)}` };
    case "invalid_union":
      return missing ? { type: "missing", msg: "Field required" } : { type: "union_error", msg: "Input does not match any of the allowed forms" };
    case "custom": {
      const type = typeof issue.params?.type === "string" ? issue.params.type : "value_error";
      return { type, msg: issue.message };
    }
    default:
      return { type: "value_error", msg: issue.message };
  }
}

/**
 * Maps a zod error to the 422 `detail` array. Pass the raw input so that absent
 * fields are reported as `missing` rather than as a type mismatch.
 */
export function zodIssuesToDetail(
  error: z.ZodError,
  location: RequestLocation = "body",
  input?: unknown,
): ValidationErrorItem[] {
  const detail: ValidationErrorItem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((key): key is PathKey => typeof key !== "symbol");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        detail.push({ loc: [location, ...path, key], msg: "Extra inputs are not permitted", type: "extra_forbidden" });
      }
      continue;
    }
    const missing =
      input !== undefined
        ? valueAt(input, path) === undefined
        : issue.code === "invalid_type" && issue.message.endsWith("received undefined");
    const { type, msg } = describeIssue(issue, missing, location);
    detail.push({ loc: [location, ...path], msg, type });
  }
  return detail;
}

/** A request can hold thousands of bad values; an answer lists this many and counts the rest, so it never grows with the request. */
export const MAX_LISTED_PROBLEMS = 100;

/** The first MAX_LISTED_PROBLEMS entries, then one entry that says how many more there were. */
export function capDetail(detail: ValidationErrorItem[], location: RequestLocation = "body"): ValidationErrorItem[] {
  if (detail.length <= MAX_LISTED_PROBLEMS) return detail;
  const more = detail.length - MAX_LISTED_PROBLEMS;
  return [
    ...detail.slice(0, MAX_LISTED_PROBLEMS),
    { loc: [location], msg: `${more} more ${more === 1 ? "problem" : "problems"} not listed: fix these and send again`, type: "too_many_errors" },
  ];
}

/** The whole 422 body for a zod error. */
export function validationErrorBody(error: z.ZodError, location: RequestLocation = "body", input?: unknown): HttpValidationError {
  return { detail: capDetail(zodIssuesToDetail(error, location, input), location) };
}

/** The 422 body for a request whose JSON could not be parsed at all. */
export function invalidJsonBody(position = 0): HttpValidationError {
  return { detail: [{ loc: ["body", position], msg: "Request body is not valid JSON", type: "json_invalid" }] };
}

// Turns a tRPC error into per-field messages for forms (see errorFormatter in server/api/trpc.ts).
interface FieldIssueShape {
  path: (string | number)[];
  message: string;
}

export function fieldErrorsOf(error: unknown): Record<string, string> {
  const data = (error as { data?: { fieldIssues?: FieldIssueShape[] } } | null)?.data;
  const out: Record<string, string> = {};
  for (const issue of data?.fieldIssues ?? []) {
    const key = issue.path.join(".");
    if (key && !out[key]) out[key] = issue.message;
  }
  return out;
}

export function messageOf(error: unknown): string {
  if (!error) return "";
  const fields = Object.values(fieldErrorsOf(error));
  if (fields.length > 0) return fields.join(" ");
  return error instanceof Error ? error.message : "Something went wrong.";
}

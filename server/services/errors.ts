// One error taxonomy for every service; each transport maps it once
// (tRPC in server/api/trpc.ts, REST in server/api/rest). Unknown errors never leak internals.
export type ServiceErrorCode =
  | "UNAUTHENTICATED"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "CONFLICT"
  | "VALIDATION"
  | "PRECONDITION"
  | "RATE_LIMITED";

export interface FieldIssue {
  /** Path of the offending field, e.g. ["email"] or ["assets", 0, "external_id"]. */
  path: (string | number)[];
  message: string;
  type?: string;
}

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

/** Too many attempts: the transport answers 429 with `Retry-After: retryAfterSeconds`. */
export class RateLimitedError extends ServiceError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("RATE_LIMITED", message);
  }
}

export const notFound = (what: string) => new ServiceError("NOT_FOUND", `${what} not found.`);
export const forbidden = (message: string) => new ServiceError("FORBIDDEN", message);
export const conflict = (message: string) => new ServiceError("CONFLICT", message);
export const precondition = (message: string) => new ServiceError("PRECONDITION", message);
export const invalid = (message: string, issues: FieldIssue[] = []) => new ServiceError("VALIDATION", message, issues);

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}

// tRPC: the context resolves who is calling and for which organisation once per
// request; every procedure declares the permissions it needs (`procedureFor`), refused
// here from the permission table and again in the services. Service errors are mapped here, once.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { apiClientServiceContext, authenticateBearerToken, bearerTokenFrom } from "@/server/auth/api-tokens";
import { getOperatorSession } from "@/server/auth/next-auth";
import type { Permission } from "@/server/domain/permissions";
import { createServiceContext, type Actor, type ServiceContext } from "@/server/services/context";
import { isServiceError, type ServiceErrorCode } from "@/server/services/errors";
import type { OperatorSession } from "@/server/services/operators/sign-in";
import { log } from "@/server/log";
import { refusalFor } from "./declared-permission";
import { unsafeInputError } from "./unsafe-input";

/** As in REST answers: a hostile input cannot grow the answer beyond this many listed problems. */
const MAX_FIELD_ISSUES = 100;

export interface TrpcContext {
  operator: OperatorSession | null;
  /** Set when the caller has an organisation: an operator's current one, or an API client's. */
  service: ServiceContext | null;
}

export async function createTrpcContext(opts: { headers: Headers }): Promise<TrpcContext> {
  // Internal tools call tRPC with the same bearer tokens as the REST API; a token that
  // does not resolve leaves the caller unauthenticated rather than falling back to a session.
  const token = bearerTokenFrom(opts.headers);
  if (token !== null) {
    const principal = await authenticateBearerToken(token);
    return { operator: null, service: principal ? apiClientServiceContext(principal) : null };
  }
  const operator = await getOperatorSession();
  if (!operator?.current) return { operator, service: null };
  const actor: Actor = { type: "operator", operatorId: operator.operatorId, label: operator.email, role: operator.current.role };
  return { operator, service: createServiceContext(operator.current.orgId, actor) };
}

const codeMap: Record<ServiceErrorCode, TRPCError["code"]> = {
  UNAUTHENTICATED: "UNAUTHORIZED",
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  VALIDATION: "BAD_REQUEST",
  PRECONDITION: "PRECONDITION_FAILED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
};

/**
 * What every procedure declares: the permissions it needs (all of them), or that it acts on the
 * signed-in operator's own account. The permissions test reads this from the router.
 */
export type ProcedureMeta = { permissions: readonly Permission[]; ownAccount?: true };

const t = initTRPC.context<TrpcContext>().meta<ProcedureMeta>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fieldIssues =
      cause instanceof ZodError
        ? cause.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message }))
        : isServiceError(cause)
          ? cause.issues
          : [];
    const unlisted = Math.max(0, fieldIssues.length - MAX_FIELD_ISSUES);
    return { ...shape, data: { ...shape.data, stack: undefined, fieldIssues: fieldIssues.slice(0, MAX_FIELD_ISSUES), ...(unlisted > 0 ? { unlistedFieldIssues: unlisted } : {}) } };
  },
});

const mapServiceErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (isServiceError(cause)) {
      // What was refused and why, for operators tracing a problem; never the input itself.
      log.debug({ path, code: cause.code, issues: cause.issues }, `tRPC ${path} refused: ${cause.message}`);
      throw new TRPCError({ code: codeMap[cause.code], message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      log.error({ err: result.error.cause ?? result.error, path }, "tRPC procedure failed");
      throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side. Try again in a moment." });
    }
  }
  return result;
});

/** Before any input schema: text PostgreSQL cannot store or that is not Unicode is refused with its field (see unsafe-input). */
const refuseUnsafeInput = t.middleware(async ({ getRawInput, next }) => {
  const unsafe = unsafeInputError(await getRawInput());
  if (unsafe) throw new TRPCError({ code: "BAD_REQUEST", message: unsafe.issues[0]?.message ?? "The input is not valid.", cause: unsafe });
  return next();
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapServiceErrors).use(refuseUnsafeInput);

/** A signed-in caller acting for an organisation: `ctx.service` is never null past this point. */
const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.service) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.operator ? "You are not a member of any organisation." : "Sign in first." });
  }
  return next({ ctx: { ...ctx, service: ctx.service } });
});

/**
 * A procedure for callers holding every one of `permissions` (operators by role, tokens by
 * scope, per server/domain/permissions.ts). The services check again; this refuses early.
 */
export function procedureFor(...permissions: [Permission, ...Permission[]]) {
  return protectedProcedure.meta({ permissions }).use(({ ctx, next }) => {
    const refusal = refusalFor(ctx.service.actor, permissions);
    if (refusal !== null) throw new TRPCError({ code: "FORBIDDEN", message: refusal });
    return next();
  });
}

/** Signed in, with or without an organisation (account pages, organisation switcher): the operator's own account. */
export const operatorProcedure = publicProcedure.meta({ permissions: [], ownAccount: true }).use(({ ctx, next }) => {
  if (!ctx.operator) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, operator: ctx.operator } });
});

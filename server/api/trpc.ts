// tRPC: the context resolves who is calling and for which organisation once per
// request; procedures narrow it (protected = an organisation, write = not a
// viewer, admin = admins). Service errors are mapped here, once.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { apiClientServiceContext, authenticateBearerToken, bearerTokenFrom } from "@/server/auth/api-tokens";
import { getOperatorSession } from "@/server/auth/next-auth";
import { createServiceContext, type Actor, type ServiceContext } from "@/server/services/context";
import { isServiceError, type ServiceErrorCode } from "@/server/services/errors";
import type { OperatorSession } from "@/server/services/operators/sign-in";
import { log } from "@/server/log";

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

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fieldIssues =
      cause instanceof ZodError
        ? cause.issues.map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message }))
        : isServiceError(cause)
          ? cause.issues
          : [];
    return { ...shape, data: { ...shape.data, stack: undefined, fieldIssues } };
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

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapServiceErrors);

/** A signed-in caller acting for an organisation: `ctx.service` is never null past this point. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.service) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.operator ? "You are not a member of any organisation." : "Sign in first." });
  }
  return next({ ctx: { ...ctx, service: ctx.service } });
});

/** Anything that changes data: viewers are refused here and again in the services. */
export const writeProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.service.actor.type === "operator" && ctx.service.actor.role === "viewer") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Viewers cannot change anything." });
  }
  return next();
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.service.actor.type === "operator" && ctx.service.actor.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can do this." });
  }
  return next();
});

/** API clients need `scope` on their token; operators are governed by their role instead. */
export function requireApiScope(scope: string) {
  return t.middleware(({ ctx, next }) => {
    const actor = ctx.service?.actor;
    if (actor?.type === "api_client" && !actor.scopes.includes(scope)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This token lacks the scope ${scope}.` });
    }
    return next();
  });
}

/** Signed in, with or without an organisation (account pages, organisation switcher). */
export const operatorProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.operator) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, operator: ctx.operator } });
});

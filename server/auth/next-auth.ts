// Operator sign-in with email + password. The JWT carries only the operator id
// and the organisation they chose; role and membership are re-read from the
// database on every request so a removal or role change takes effect at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { getConfig } from "@/server/config";
import { isServiceError } from "@/server/services/errors";
import {
  isMember,
  resolveOperatorSession,
  revokeOperatorSessions,
  signInLockedForSeconds,
  signInLockedMessage,
  verifyOperatorCredentials,
  type OperatorSession,
} from "@/server/services/operators/sign-in";
import { log } from "@/server/log";
import { retryAfterWords } from "@/server/services/auth-throttle/auth-throttle";
import { clientAddress } from "./client-address";

export const authOptions: NextAuthOptions = {
  secret: getConfig().sessionSecret,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  // Secure (and __Secure- prefixed) cookies whenever the public URL is https, e.g. behind a TLS proxy;
  // next-auth's cookies are HttpOnly and SameSite=Lax in any case.
  useSecureCookies: getConfig().appUrl.startsWith("https://"),
  pages: { signIn: "/sign-in", signOut: "/sign-out", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          const headers = new Headers(Object.entries(req.headers ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
          const operator = await verifyOperatorCredentials(
            { email: credentials?.email ?? "", password: credentials?.password ?? "" },
            { clientAddress: clientAddress(headers) },
          );
          return { id: operator.operatorId, email: operator.email, name: operator.name, sessionVersion: operator.sessionVersion };
        } catch (e) {
          // next-auth passes a thrown message to the sign-in page; only our own clear messages get there.
          if (isServiceError(e)) throw new Error(e.message);
          log.error({ err: e }, "sign-in failed unexpectedly");
          throw new Error("Sign-in is unavailable right now. Try again in a moment.");
        }
      },
    }),
  ],
  events: {
    // Signing out ends every session of the operator, not only this browser's cookie.
    async signOut({ token }) {
      if (typeof token?.operatorId === "string") await revokeOperatorSessions(token.operatorId);
    },
  },
  callbacks: {
    async jwt({ token, user, trigger, session }) {
      if (user) {
        token.operatorId = user.id;
        token.sessionVersion = (user as { sessionVersion?: number }).sessionVersion;
      }
      if (trigger === "update" && typeof token.operatorId === "string") {
        const requested = (session as { orgId?: unknown } | undefined)?.orgId;
        if (typeof requested === "string" && (await isMember(token.operatorId, requested))) token.orgId = requested;
      }
      return token;
    },
    async session({ session, token }) {
      if (typeof token.operatorId !== "string") return session;
      const resolved = await resolveOperatorSession(
        token.operatorId,
        typeof token.orgId === "string" ? token.orgId : undefined,
        typeof token.sessionVersion === "number" ? token.sessionVersion : undefined,
      );
      return { ...session, operator: resolved };
    },
  },
};

declare module "next-auth" {
  interface Session {
    operator?: OperatorSession | null;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    operatorId?: string;
    orgId?: string;
    sessionVersion?: number;
  }
}

/** The signed-in operator's live session facts, or null. */
export async function getOperatorSession(): Promise<OperatorSession | null> {
  const session = await getServerSession(authOptions);
  return session?.operator ?? null;
}

/**
 * The credentials callback with its lockout made visible: a sign-in for a locked email or from a
 * locked address is answered 429 with Retry-After without running next-auth, and so is the attempt
 * that caused the lock (authorize refused it with the same words). The body is what next-auth's
 * client reads: a URL whose `error` the sign-in form shows.
 */
export async function signInWithLockout(request: Request, handle: (request: Request) => Promise<Response>): Promise<Response> {
  if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/callback/credentials")) return handle(request);
  let email = "";
  try {
    email = new URLSearchParams(await request.clone().text()).get("email") ?? "";
  } catch {
    return handle(request);
  }
  const address = clientAddress(request.headers);
  const lockedFor = async () => (email === "" ? 0 : signInLockedForSeconds(email, address));
  const before = await lockedFor();
  if (before > 0) return lockedResponse(before);
  const response = await handle(request);
  if (response.ok) return response;
  const after = await lockedFor();
  return after > 0 ? lockedResponse(after) : response;
}

function lockedResponse(seconds: number): Response {
  const url = new URL("/sign-in", getConfig().appUrl);
  url.searchParams.set("error", signInLockedMessage(retryAfterWords(seconds)));
  return new Response(JSON.stringify({ url: url.toString() }), {
    status: 429,
    headers: { "content-type": "application/json", "retry-after": String(seconds), "cache-control": "no-store" },
  });
}

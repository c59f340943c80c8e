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
          return { id: operator.operatorId, email: operator.email, name: operator.name };
        } catch (e) {
          // next-auth passes a thrown message to the sign-in page; only our own clear messages get there.
          if (isServiceError(e)) throw new Error(e.message);
          log.error({ err: e }, "sign-in failed unexpectedly");
          throw new Error("Sign-in is unavailable right now. Try again in a moment.");
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user, trigger, session }) {
      if (user) token.operatorId = user.id;
      if (trigger === "update" && typeof token.operatorId === "string") {
        const requested = (session as { orgId?: unknown } | undefined)?.orgId;
        if (typeof requested === "string" && (await isMember(token.operatorId, requested))) token.orgId = requested;
      }
      return token;
    },
    async session({ session, token }) {
      if (typeof token.operatorId !== "string") return session;
      const resolved = await resolveOperatorSession(token.operatorId, typeof token.orgId === "string" ? token.orgId : undefined);
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
  }
}

/** The signed-in operator's live session facts, or null. */
export async function getOperatorSession(): Promise<OperatorSession | null> {
  const session = await getServerSession(authOptions);
  return session?.operator ?? null;
}

/**
 * A sign-in for a locked email or from a locked address is answered 429 with Retry-After before
 * next-auth runs (the attempt that locks is refused by authorize with the same words). The body is
 * what next-auth's client reads: a URL whose `error` the sign-in form shows.
 */
export async function refuseLockedSignIn(request: Request): Promise<Response | null> {
  if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/callback/credentials")) return null;
  let email = "";
  try {
    const form = new URLSearchParams(await request.clone().text());
    email = form.get("email") ?? "";
  } catch {
    return null;
  }
  if (email === "") return null;
  const seconds = await signInLockedForSeconds(email, clientAddress(request.headers));
  if (seconds === 0) return null;
  const url = new URL("/sign-in", getConfig().appUrl);
  url.searchParams.set("error", signInLockedMessage(retryAfterWords(seconds)));
  return new Response(JSON.stringify({ url: url.toString() }), {
    status: 429,
    headers: { "content-type": "application/json", "retry-after": String(seconds), "cache-control": "no-store" },
  });
}

// Operator sign-in with email + password. The JWT carries only the operator id
// and the organisation they chose; role and membership are re-read from the
// database on every request so a removal or role change takes effect at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { getConfig } from "@/server/config";
import { isServiceError } from "@/server/services/errors";
import { isMember, resolveOperatorSession, verifyOperatorCredentials, type OperatorSession } from "@/server/services/operators/sign-in";
import { log } from "@/server/log";

export const authOptions: NextAuthOptions = {
  secret: getConfig().sessionSecret,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in", signOut: "/sign-out", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        try {
          const operator = await verifyOperatorCredentials({ email: credentials?.email ?? "", password: credentials?.password ?? "" });
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

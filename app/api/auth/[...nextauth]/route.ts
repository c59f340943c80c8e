import NextAuth from "next-auth";
import { authOptions, signInWithLockout } from "@/server/auth/next-auth";

const handler = NextAuth(authOptions) as (request: Request, context: unknown) => Promise<Response>;

function post(request: Request, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return signInWithLockout(request, (forwarded) => handler(forwarded, context));
}

export { handler as GET, post as POST };

import NextAuth from "next-auth";
import { authOptions, refuseLockedSignIn } from "@/server/auth/next-auth";

const handler = NextAuth(authOptions);

async function post(request: Request, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return (await refuseLockedSignIn(request)) ?? (handler as (request: Request, context: unknown) => Promise<Response>)(request, context);
}

export { handler as GET, post as POST };

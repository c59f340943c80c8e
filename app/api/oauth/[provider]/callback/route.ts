import { handleOemOauthCallback } from "@/server/api/oem-oauth-callback";

export const dynamic = "force-dynamic";

/** Where an OEM cloud sends the householder back after they approved (or refused) access. */
export function GET(request: Request, context: { params: Promise<{ provider: string }> }): Promise<Response> {
  return context.params.then(({ provider }) => handleOemOauthCallback(request, provider));
}

import { z } from "zod";
import { forgetCachedApiTokens } from "@/server/auth/api-tokens";
import { createApiClient, createApiClientSchema, listApiClients, revokeApiClient } from "@/server/services/api-clients/api-clients";
import { createTRPCRouter, procedureFor } from "../trpc";

// Admins only; no scope grants api_clients:manage, so a token cannot mint tokens.
export const apiClientsRouter = createTRPCRouter({
  list: procedureFor("api_clients:manage").query(({ ctx }) => listApiClients(ctx.service)),
  /** The answer carries the secret: the only time it is ever shown. */
  create: procedureFor("api_clients:manage").input(createApiClientSchema).mutation(({ ctx, input }) => createApiClient(ctx.service, input)),
  revoke: procedureFor("api_clients:manage").input(z.object({ id: z.string().uuid() })).mutation(async ({ ctx, input }) => {
    await revokeApiClient(ctx.service, input);
    forgetCachedApiTokens();
  }),
});

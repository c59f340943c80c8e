import { z } from "zod";
import { forgetCachedApiTokens } from "@/server/auth/api-tokens";
import { createApiClient, createApiClientSchema, listApiClients, revokeApiClient } from "@/server/services/api-clients/api-clients";
import { adminProcedure, createTRPCRouter } from "../trpc";

// Admins only; the service also refuses API clients, so a token cannot mint tokens.
export const apiClientsRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => listApiClients(ctx.service)),
  /** The answer carries the secret: the only time it is ever shown. */
  create: adminProcedure.input(createApiClientSchema).mutation(({ ctx, input }) => createApiClient(ctx.service, input)),
  revoke: adminProcedure.input(z.object({ id: z.string().uuid() })).mutation(async ({ ctx, input }) => {
    await revokeApiClient(ctx.service, input);
    forgetCachedApiTokens();
  }),
});

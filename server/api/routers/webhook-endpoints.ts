// Settings > Webhooks: partner endpoints and their delivery log. Writes are for admins and for tokens with webhooks:manage.
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "@/server/services/webhooks/partner-webhooks";
import { createWebhookEndpoint, disableWebhookEndpoint, enableWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints } from "@/server/services/webhooks/webhook-endpoints";
import { createTRPCRouter, procedureFor } from "../trpc";

export const webhookEndpointsRouter = createTRPCRouter({
  eventTypes: procedureFor("webhook_endpoints:read").query(() => [...WEBHOOK_EVENT_TYPES]),
  list: procedureFor("webhook_endpoints:read").query(({ ctx }) => listWebhookEndpoints(ctx.service)),
  create: procedureFor("webhook_endpoints:manage")
    .input(z.object({ url: z.string().trim().min(1).max(2048), eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).max(WEBHOOK_EVENT_TYPES.length).default([]) }))
    .mutation(({ ctx, input }) => createWebhookEndpoint(ctx.service, input)),
  disable: procedureFor("webhook_endpoints:manage").input(z.object({ endpointId: z.uuid() })).mutation(({ ctx, input }) => disableWebhookEndpoint(ctx.service, input)),
  enable: procedureFor("webhook_endpoints:manage").input(z.object({ endpointId: z.uuid() })).mutation(({ ctx, input }) => enableWebhookEndpoint(ctx.service, input)),
  deliveries: procedureFor("webhook_endpoints:read")
    .input(z.object({ endpointId: z.uuid().optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listWebhookDeliveries(ctx.service, input)),
});

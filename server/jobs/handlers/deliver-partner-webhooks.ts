import { z } from "zod";
import { deliverPendingWebhooks, dispatchBatteryWebhookEvents } from "@/server/services/webhooks/partner-webhooks";
import { defineJob } from "../define-job";

/**
 * Every minute: hands battery-control events (user:vendor-action:updated, credential
 * expiry) from their outbox to the delivery log in batches, then delivers pending partner
 * webhooks (enrolment, withdrawal, offboarding, battery-control batches) with backoff.
 */
export const deliverPartnerWebhooksJob = defineJob({
  name: "webhooks.deliver-partner",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 300,
  cron: "* * * * *",
  handler: async () => {
    await dispatchBatteryWebhookEvents();
    await deliverPendingWebhooks();
  },
});

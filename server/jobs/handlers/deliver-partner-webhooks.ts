import { z } from "zod";
import { deliverPendingWebhooks } from "@/server/services/webhooks/partner-webhooks";
import { defineJob } from "../define-job";

/** Every minute: delivers pending partner webhooks (enrolment, withdrawal, offboarding) with backoff. */
export const deliverPartnerWebhooksJob = defineJob({
  name: "webhooks.deliver-partner",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 300,
  cron: "* * * * *",
  handler: async () => {
    await deliverPendingWebhooks();
  },
});

import { z } from "zod";
import { warnExpiringCredentials } from "@/server/services/credentials/credentials";
import { defineJob } from "../define-job";

/** Hourly: one webhook event per OEM credential entering its expiry warning window. */
export const warnExpiringCredentialsJob = defineJob({
  name: "credentials.warn-expiring",
  schema: z.object({}).passthrough(),
  retry: { limit: 1 },
  expireInSeconds: 300,
  cron: "7 * * * *",
  handler: async () => {
    await warnExpiringCredentials(new Date());
  },
});

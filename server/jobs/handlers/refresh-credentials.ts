import { z } from "zod";
import { log } from "@/server/log";
import { refreshBearerCredentials } from "@/server/services/credentials/refresh-credentials";
import { defineJob } from "../define-job";

/** Every 5 minutes: renews OAuth bearer credentials with a refresh token before they expire. */
export const refreshCredentialsJob = defineJob({
  name: "credentials.refresh-bearer",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 240,
  cron: "*/5 * * * *",
  handler: async () => {
    const result = await refreshBearerCredentials();
    if (result.refreshed + result.rejected + result.deferred > 0) log.info(result, "refreshed OEM bearer credentials");
  },
});

import { z } from "zod";
import { log } from "@/server/log";
import { resealSecrets } from "@/server/services/credentials/credentials";
import { defineJob } from "../define-job";

/**
 * Hourly: re-encrypts OEM credentials and webhook secrets still sealed under a retired key
 * (CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS) under the current one. Idempotent; nothing to do
 * once rotation is complete.
 */
export const resealSecretsJob = defineJob({
  name: "secrets.reseal",
  schema: z.object({}).passthrough(),
  retry: { limit: 1 },
  expireInSeconds: 900,
  cron: "23 * * * *",
  handler: async () => {
    const { resealed, unopenable } = await resealSecrets();
    // Ids and key ids only: never anything derived from a secret.
    if (resealed > 0) log.info({ resealed }, "re-sealed secrets under the current encryption key");
    if (unopenable.length > 0) log.warn({ unopenable }, "secrets that no configured encryption key opens");
  },
});

import { z } from "zod";
import { log } from "@/server/log";
import { sweepActions } from "@/server/services/actions/actions";
import { defineJob } from "../define-job";
import { enqueueDriveAction } from "./drive-action";

/** Every minute: fails actions past their deadline and restarts drive loops a dead worker dropped. */
export const sweepActionsJob = defineJob({
  name: "battery.sweep-actions",
  schema: z.object({}).passthrough(),
  retry: { limit: 0 },
  expireInSeconds: 60,
  cron: "* * * * *",
  handler: async () => {
    const now = new Date();
    const { failed, stuck } = await sweepActions(now);
    for (const a of stuck) await enqueueDriveAction({ ...a, at: now });
    if (failed > 0 || stuck.length > 0) log.info({ failed, restarted: stuck.length }, "swept battery actions");
  },
});

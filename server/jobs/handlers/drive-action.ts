import { z } from "zod";
import { driveAction } from "@/server/services/actions/actions";
import { systemContext } from "@/server/services/context";
import { defineJob } from "../define-job";
import { enqueue } from "../queue";

const payload = z.object({ orgId: z.uuid(), actionId: z.uuid() });

/** One step of an operation-mode Action; re-queues itself until the action is final. */
export const driveActionJob = defineJob({
  name: "battery.drive-action",
  queueClass: "actionDriving",
  schema: payload,
  retry: { limit: 3, delaySeconds: 2, backoff: true },
  expireInSeconds: 120,
  handler: async ({ orgId, actionId }) => {
    const result = await driveAction(systemContext(orgId, "action driver"), actionId);
    if (result.nextCheckAt) await enqueueDriveAction({ orgId, actionId, at: result.nextCheckAt });
  },
});

export async function enqueueDriveAction(action: { orgId: string; actionId: string; at: Date }): Promise<void> {
  await enqueue(driveActionJob, { orgId: action.orgId, actionId: action.actionId }, { startAfter: action.at });
}

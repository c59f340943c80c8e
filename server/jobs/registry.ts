// Every job the worker runs. Adding a job = define it in handlers/ and list it here.
import type { JobDefinition } from "./define-job";
import { deliverPartnerWebhooksJob } from "./handlers/deliver-partner-webhooks";
import { workerHeartbeatJob } from "./handlers/worker-heartbeat";
import { driveActionJob } from "./handlers/drive-action";
import { pollBatteryJob, schedulePollsJob } from "./handlers/poll-battery";
import { sweepActionsJob } from "./handlers/sweep-actions";
import { warnExpiringCredentialsJob } from "./handlers/warn-expiring-credentials";

export const jobRegistry: JobDefinition[] = [
  workerHeartbeatJob,
  deliverPartnerWebhooksJob,
  pollBatteryJob,
  schedulePollsJob,
  driveActionJob,
  sweepActionsJob,
  warnExpiringCredentialsJob,
  // (add new jobs above this line, one per line)
];

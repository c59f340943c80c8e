// Every job the worker runs. Adding a job = define it in handlers/ and list it here.
import type { JobDefinition } from "./define-job";
import { deliverPartnerWebhooksJob } from "./handlers/deliver-partner-webhooks";
import { deliverSchedulesJob } from "./handlers/deliver-schedules";
import { workerHeartbeatJob } from "./handlers/worker-heartbeat";
import { driveActionJob } from "./handlers/drive-action";
import { pollBatteryJob, schedulePollsJob } from "./handlers/poll-battery";
import { sweepActionsJob } from "./handlers/sweep-actions";
import { warnExpiringCredentialsJob } from "./handlers/warn-expiring-credentials";
import { gridEventsSweepJob } from "./handlers/grid-events";
import { resealSecretsJob } from "./handlers/reseal-secrets";
import { refreshCredentialsJob } from "./handlers/refresh-credentials";
import { replanChargingJob } from "./handlers/replan-charging";
import { executeBatterySchedulesJob, planBatterySchedulesJob } from "./handlers/battery-schedules";
import { settleGridEventJob, sweepUnsettledGridEventsJob } from "./handlers/settle-grid-events";
import { maintainPartitionsJob } from "./handlers/maintain-partitions";

export const jobRegistry: JobDefinition[] = [
  workerHeartbeatJob,
  deliverPartnerWebhooksJob,
  pollBatteryJob,
  schedulePollsJob,
  driveActionJob,
  sweepActionsJob,
  warnExpiringCredentialsJob,
  deliverSchedulesJob,
  planBatterySchedulesJob,
  executeBatterySchedulesJob,
  settleGridEventJob,
  sweepUnsettledGridEventsJob,
  replanChargingJob,
  resealSecretsJob,
  gridEventsSweepJob,
  refreshCredentialsJob,
  maintainPartitionsJob,
  // (add new jobs above this line, one per line)
];

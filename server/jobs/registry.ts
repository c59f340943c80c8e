// Every job the worker runs. Adding a job = define it in handlers/ and list it here.
import type { JobDefinition } from "./define-job";
import { workerHeartbeatJob } from "./handlers/worker-heartbeat";

export const jobRegistry: JobDefinition[] = [workerHeartbeatJob];

// `npm run worker`: a job worker on its own, for when one process is not enough.
// Run the web process with WORKER_IN_PROCESS=false, or not: several workers share the queue safely.
import { bootDatabase, describeDatabase } from "@/db/bootstrap";
import { closeDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { startWorker } from "@/server/jobs/worker";
import { log } from "@/server/log";

const db = await bootDatabase(getConfig(), { migrate: true });
log.info(`worker using ${describeDatabase(db.url)}`);
const worker = await startWorker();

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info(`${signal} received, finishing active jobs`);
  await worker.stop();
  await closeDb();
  await db.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

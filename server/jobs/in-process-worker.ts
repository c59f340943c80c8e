import { getConfig } from "@/server/config";
import { log } from "@/server/log";
import { startWorker } from "./worker";

export async function startInProcessWorker(): Promise<void> {
  if (!getConfig().workerInProcess || !process.env.DATABASE_URL) return;
  try {
    const worker = await startWorker();
    const stop = () => void worker.stop().finally(() => process.exit(0));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  } catch (e) {
    log.error({ err: e }, "the in-process worker failed to start; jobs will wait for `npm run worker`");
  }
}

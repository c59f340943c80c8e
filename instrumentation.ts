// Next.js calls register() once when the server process starts: the job worker
// runs inside the web process unless WORKER_IN_PROCESS=false (then `npm run worker`).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getConfig } = await import("@/server/config");
  if (!getConfig().workerInProcess || !process.env.DATABASE_URL) return;
  const { startWorker } = await import("@/server/jobs/worker");
  const { log } = await import("@/server/log");
  try {
    const worker = await startWorker();
    const stop = () => void worker.stop().finally(() => process.exit(0));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  } catch (e) {
    log.error({ err: e }, "the in-process worker failed to start; jobs will wait for `npm run worker`");
  }
}

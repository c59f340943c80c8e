// Next.js calls register() once when a server process starts. The job worker
// runs inside the web process unless WORKER_IN_PROCESS=false (then `npm run worker`).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // First, before any request: the peer address that rate limits and consent evidence trust.
    const { installPeerAddressStamp } = await import("./server/auth/client-address");
    installPeerAddressStamp();
    const { startInProcessWorker } = await import("./server/jobs/in-process-worker");
    await startInProcessWorker();
  }
}

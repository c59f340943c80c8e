import { hostname } from "node:os";
import { getDb } from "@/db/client";
import { systemStatus } from "@/db/schema";

export async function recordWorkerHeartbeat(): Promise<void> {
  const now = new Date();
  await getDb()
    .insert(systemStatus)
    .values({ key: "worker_heartbeat", value: { host: hostname(), pid: process.pid }, updatedAt: now })
    .onConflictDoUpdate({ target: systemStatus.key, set: { value: { host: hostname(), pid: process.pid }, updatedAt: now } });
}

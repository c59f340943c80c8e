// `npm run ocpp-gateway`: the OCPP-J endpoint as a process of its own (`npm run dev` starts one
// beside Next.js). Run as many as needed behind a load balancer: each registers the charge points it
// holds in PostgreSQL, and commands reach a charger whichever process it is connected to.
import { bootDatabase, describeDatabase } from "@/db/bootstrap";
import { closeDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { log } from "@/server/log";
import { startOcppGateway } from "@/server/ocpp-gateway/gateway";

const config = getConfig();
const db = await bootDatabase(config, { migrate: true });
log.info(`ocpp gateway using ${describeDatabase(db.url)}`);
const gateway = await startOcppGateway({ port: config.ocpp.port, heartbeatIntervalSeconds: config.ocpp.heartbeatIntervalSeconds });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info(`${signal} received, closing charge point connections`);
  await gateway.close();
  await closeDb();
  await db.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or to the embedded cluster.
import { bootDatabase, describeDatabase } from "@/db/bootstrap";
import { getConfig } from "@/server/config";

const db = await bootDatabase(getConfig(), { migrate: true });
console.log(`Migrations applied to ${describeDatabase(db.url)}.`);
await db.stop();

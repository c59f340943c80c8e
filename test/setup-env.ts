// Runs in every test worker before its files: point the process at the test
// database and give it fixed, test-only secrets so nothing is written to .data/.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
Object.assign(process.env, { NODE_ENV: "test" });
process.env.LOG_LEVEL ??= "silent";
process.env.NEXTAUTH_SECRET ??= "test-session-secret-test-session-secret-0123";
process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");

// A separate process serving the partner REST API over loopback HTTP, for tests that need two
// processes on one database (rate limits must hold across them). Prints its base URL as the first
// line on stdout and serves until killed. Requests are stamped with their peer address exactly as
// the Next.js server stamps them (instrumentation.ts).
import { installPeerAddressStamp } from "@/server/auth/client-address";
import { startPlatformHttpServer } from "./platform-http";

installPeerAddressStamp();
const server = await startPlatformHttpServer({ checkContract: false, recordRequests: false });
process.stdout.write(`${server.baseUrl}\n`);
process.on("SIGTERM", () => void server.stop().then(() => process.exit(0)));

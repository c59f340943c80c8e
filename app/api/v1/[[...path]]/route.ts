// Every partner REST request, whatever its path and method, goes to one dispatcher that routes
// by the same registry the published OpenAPI document is built from (server/api/rest/dispatch.ts):
// a new operation needs no file here, and unknown paths or methods get JSON answers, not pages.
import { createRestDispatcher } from "@/server/api/rest/dispatch";

const { handle } = createRestDispatcher();

export { handle as GET, handle as HEAD, handle as POST, handle as PUT, handle as PATCH, handle as DELETE, handle as OPTIONS };

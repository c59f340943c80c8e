import { openApiHandler } from "@/server/api/rest/openapi-document";

export const GET = openApiHandler;

import { issueTokenHandler } from "@/server/api/rest/auth";

export const POST = issueTokenHandler;

import { issueTokenFormHandler } from "@/server/api/rest/auth";

export const POST = issueTokenFormHandler;

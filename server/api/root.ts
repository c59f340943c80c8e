import { accountRouter } from "./routers/account";
import { auditRouter } from "./routers/audit";
import { membersRouter } from "./routers/members";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  members: membersRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

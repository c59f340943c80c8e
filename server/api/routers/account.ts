import { changeOwnPassword, changePasswordSchema } from "@/server/services/operators/sign-in";
import { createTRPCRouter, operatorProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  me: operatorProcedure.query(({ ctx }) => ctx.operator),
  changePassword: operatorProcedure
    .input(changePasswordSchema)
    .mutation(({ ctx, input }) => changeOwnPassword(ctx.operator.operatorId, input)),
});

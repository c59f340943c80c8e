import { z } from "zod";
import { addMember, addMemberSchema, changeMemberRole, listMembers, listMembersSchema, removeMember, roleSchema } from "@/server/services/members/members";
import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc";

export const membersRouter = createTRPCRouter({
  list: protectedProcedure.input(listMembersSchema).query(({ ctx, input }) => listMembers(ctx.service, input)),
  add: adminProcedure.input(addMemberSchema).mutation(({ ctx, input }) => addMember(ctx.service, input)),
  changeRole: adminProcedure
    .input(z.object({ operatorId: z.string().uuid(), role: roleSchema }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx.service, input)),
  remove: adminProcedure.input(z.object({ operatorId: z.string().uuid() })).mutation(({ ctx, input }) => removeMember(ctx.service, input)),
});

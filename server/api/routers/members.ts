import { z } from "zod";
import { addMember, addMemberSchema, changeMemberRole, listMembers, listMembersSchema, removeMember, roleSchema } from "@/server/services/members/members";
import { createTRPCRouter, procedureFor } from "../trpc";

export const membersRouter = createTRPCRouter({
  list: procedureFor("members:read").input(listMembersSchema).query(({ ctx, input }) => listMembers(ctx.service, input)),
  add: procedureFor("members:manage").input(addMemberSchema).mutation(({ ctx, input }) => addMember(ctx.service, input)),
  changeRole: procedureFor("members:manage")
    .input(z.object({ operatorId: z.string().uuid(), role: roleSchema }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx.service, input)),
  remove: procedureFor("members:manage").input(z.object({ operatorId: z.string().uuid() })).mutation(({ ctx, input }) => removeMember(ctx.service, input)),
});

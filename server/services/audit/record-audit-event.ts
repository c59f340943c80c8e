import { auditEvents } from "@/db/schema";
import { actorFields, type ServiceContext } from "../context";

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Write inside the same transaction as the change it describes, so both commit or neither does. */
// eslint-disable-next-line flexfleet/authorize-first -- internal: every write records its audit row inside an authorized call
export async function recordAuditEvent(ctx: ServiceContext, entry: AuditEntry): Promise<void> {
  await ctx.db.insert(auditEvents).values({
    organisationId: ctx.orgId,
    ...actorFields(ctx.actor),
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
  });
}

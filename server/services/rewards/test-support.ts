// Test helpers: rows that other areas own (grid events, schedules) written directly, so reward and
// schedule tests do not depend on those flows. Never used outside tests.
import { getDb } from "@/db/client";
import { batterySchedules, gridEventParticipants, gridEvents, type StoredBatteryScheduleSlot } from "@/db/schema";

export async function insertGridEventWithParticipants(input: {
  orgId: string;
  name?: string;
  direction?: "turn_down" | "turn_up";
  startAt: Date;
  endAt: Date;
  targetKw: number;
  priceGbpPerMwh: number;
  status: string;
  participants: { siteId: string; assetId: string; plannedKw: number; status?: string }[];
}): Promise<string> {
  const [event] = await getDb()
    .insert(gridEvents)
    .values({
      organisationId: input.orgId,
      name: input.name ?? "Test event",
      direction: input.direction ?? "turn_down",
      startAt: input.startAt,
      endAt: input.endAt,
      targetKw: input.targetKw,
      priceGbpPerMwh: input.priceGbpPerMwh,
      propositions: ["vpp_limited_control"],
      status: input.status,
      createdBy: "test",
      completedAt: input.status === "completed" ? input.endAt : null,
    })
    .returning();
  if (!event) throw new Error("grid event insert returned nothing");
  if (input.participants.length > 0) {
    await getDb()
      .insert(gridEventParticipants)
      .values(
        input.participants.map((p) => ({
          organisationId: input.orgId,
          eventId: event.id,
          assetId: p.assetId,
          siteId: p.siteId,
          assetType: "battery",
          control: "oem_action",
          proposition: "vpp_limited_control",
          plannedKw: p.plannedKw,
          status: p.status ?? "planned",
        })),
      );
  }
  return event.id;
}

export async function insertBatteryScheduleForTest(input: { orgId: string; siteId: string; assetId: string; slots: StoredBatteryScheduleSlot[] }): Promise<void> {
  const first = input.slots[0];
  const last = input.slots[input.slots.length - 1];
  if (!first || !last) throw new Error("a schedule needs slots");
  await getDb()
    .insert(batterySchedules)
    .values({
      organisationId: input.orgId,
      assetId: input.assetId,
      siteId: input.siteId,
      scheduleDate: first.start.slice(0, 10),
      version: 1,
      trigger: "daily",
      windowStart: new Date(first.start),
      windowEnd: new Date(last.end),
      slots: input.slots,
      totalCostPence: 0,
      baselineCostPence: 0,
      savingPence: 0,
      solver: "lp",
      provenOptimal: true,
    });
}

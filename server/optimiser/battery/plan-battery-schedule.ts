// Daily schedule for a Fully Optimised battery: an exact LP, with exclusivity binaries added only
// on the slots where the LP answer charges and discharges (or imports and exports) at once,
// solved by HiGHS. See docs/battery-planner.md.
import type { Highs, ModelData } from "highs";
import { loadHighsSolver, solveLinearModel } from "./highs-solver";

export type BatteryOperationMode = "SELF_RELIANCE" | "TIME_OF_USE" | "IMPORT_FOCUS" | "EXPORT_FOCUS";

export interface BatteryPlanSlotInput {
  /** ISO instant; each slot must start where the previous one ended. */
  start: string;
  end: string;
  importPencePerKwh: number;
  exportPencePerKwh: number;
  /** Household consumption expected in the slot (kWh), battery excluded. */
  loadKwh: number;
  /** Solar generation expected in the slot (kWh); 0 when omitted. */
  solarKwh?: number;
}

export interface BatterySpec {
  capacityKwh: number;
  maxChargeKw: number;
  maxDischargeKw: number;
  /** AC to AC, 0 < x <= 1; applied as sqrt(x) on the way in and sqrt(x) on the way out. */
  roundTripEfficiency: number;
  socMinPct: number;
  socMaxPct: number;
  /** The discharge limit: SoC never planned below it. */
  dischargeFloorPct: number;
  startSocPct: number;
  /** Site export limit in kW (G99/G98 agreement); unlimited when omitted. */
  exportLimitKw?: number;
  /** Site import limit in kW (main fuse); unlimited when omitted. */
  importLimitKw?: number;
  /** When false the battery may only cover household load: the site never exports more than its solar surplus. Default true. */
  allowBatteryExport?: boolean;
  /** Minimum SoC at the end of the last slot; no constraint when omitted. */
  endSocMinPct?: number;
}

/**
 * A state-of-charge target the operator sets: "at least 70 % by 18:00" is { kind: "min", pct: 70,
 * from: 18:00, until: 18:00 }; "never above 80 % overnight" is { kind: "max", pct: 80, from: 22:00,
 * until: 07:00 }. It holds at every slot boundary in [from, until] (SoC moves linearly inside a
 * slot, so between them too); an instant inside a slot brings in both of that slot's boundaries.
 */
export interface SocTarget {
  kind: "min" | "max";
  pct: number;
  from: string;
  until: string;
  /** Said back when the target shapes the plan, e.g. "at least 70 % by 18:00". */
  label: string;
}

export interface BatteryPlanInput {
  battery: BatterySpec;
  slots: readonly BatteryPlanSlotInput[];
  /** Targets on the SoC at given times; none when omitted. */
  socTargets?: readonly SocTarget[];
  /** Branch-and-bound node budget per MILP solve (default DEFAULT_MIP_NODE_LIMIT); the LP case is never limited. */
  mipNodeLimit?: number;
}

export interface BatteryPlanSlot {
  start: string;
  end: string;
  chargeKw: number;
  dischargeKw: number;
  gridImportKw: number;
  gridExportKw: number;
  curtailedSolarKw: number;
  socStartPct: number;
  socEndPct: number;
  mode: BatteryOperationMode;
  /** Whole pence; the slots add up exactly to totalCostPence (largest-remainder rounding). */
  costPence: number;
}

export interface BatteryPlan {
  slots: BatteryPlanSlot[];
  /** Import cost minus export revenue over the day, whole pence (negative = the site earns). */
  totalCostPence: number;
  /** Same day run in plain self-consumption (battery charges only from solar surplus and discharges only into load). */
  baselineCostPence: number;
  savingPence: number;
  /** "lp" when the LP answer already kept every slot's flows one way; "milp" when exclusivity binaries were needed. */
  solver: "lp" | "milp";
  /** False only when a MILP hit its node limit: the plan is feasible and physical but may not be the cheapest. */
  provenOptimal: boolean;
  /** Slots that needed an exclusivity binary (0 for "lp"). */
  integerSlots: number;
  /** Labels of the SoC targets the plan sits on (it would have gone further without them). */
  boundTargets: string[];
}

export type BatteryPlanErrorCode = "invalid_input" | "infeasible" | "solver_failed";

export class BatteryPlanError extends Error {
  readonly code: BatteryPlanErrorCode;
  constructor(code: BatteryPlanErrorCode, message: string) {
    super(message);
    this.name = "BatteryPlanError";
    this.code = code;
  }
}

// Tie-breakers, far below any real price difference: cycling (which also stops simultaneous charge
// and discharge) costs more than curtailing, which costs more than a needless grid flow.
const CYCLING_PENALTY_PENCE_PER_KWH = 1e-4;
const CURTAILMENT_PENALTY_PENCE_PER_KWH = 1e-5;
const GRID_FLOW_PENALTY_PENCE_PER_KWH = 1e-6;
const MODE_TOLERANCE_KWH = 1e-3;
const COLUMNS_PER_SLOT = 6;
const Column = { Charge: 0, Discharge: 1, GridImport: 2, GridExport: 3, Curtailment: 4, SocEnd: 5 } as const;

interface PreparedSlot {
  input: BatteryPlanSlotInput;
  hours: number;
  loadKwh: number;
  solarKwh: number;
}

/** Battery limits in kWh after validation; shared with the greedy baseline. */
export interface BatteryEnvelope {
  capacityKwh: number;
  lowerKwh: number;
  upperKwh: number;
  startKwh: number;
  endMinKwh: number;
  chargeEfficiency: number;
  dischargeEfficiency: number;
  maxChargeKw: number;
  maxDischargeKw: number;
  exportLimitKw: number;
  importLimitKw: number;
  allowBatteryExport: boolean;
}

function fail(message: string): never {
  throw new BatteryPlanError("invalid_input", message);
}

function isFiniteNumber(value: number): boolean {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Bounds in kWh. If the battery starts outside [max(socMin, floor), socMax] the plan never takes it
 * further out than where it started, rather than being declared infeasible.
 */
export function batteryEnvelope(battery: BatterySpec): BatteryEnvelope {
  const numbers: [string, number][] = [
    ["capacityKwh", battery.capacityKwh],
    ["maxChargeKw", battery.maxChargeKw],
    ["maxDischargeKw", battery.maxDischargeKw],
    ["roundTripEfficiency", battery.roundTripEfficiency],
    ["socMinPct", battery.socMinPct],
    ["socMaxPct", battery.socMaxPct],
    ["dischargeFloorPct", battery.dischargeFloorPct],
    ["startSocPct", battery.startSocPct],
  ];
  for (const [name, value] of numbers) if (!isFiniteNumber(value)) fail(`battery.${name} must be a finite number`);
  if (battery.capacityKwh <= 0) fail("battery.capacityKwh must be positive");
  if (battery.maxChargeKw < 0 || battery.maxDischargeKw < 0) fail("battery power limits must not be negative");
  if (battery.roundTripEfficiency <= 0 || battery.roundTripEfficiency > 1) fail("battery.roundTripEfficiency must be in (0, 1]");
  for (const [name, value] of numbers.slice(4)) if (value < 0 || value > 100) fail(`battery.${name} must be between 0 and 100`);
  if (battery.socMinPct > battery.socMaxPct) fail("battery.socMinPct must not exceed socMaxPct");
  if (battery.dischargeFloorPct > battery.socMaxPct) fail("battery.dischargeFloorPct must not exceed socMaxPct");
  if (battery.exportLimitKw !== undefined && (!isFiniteNumber(battery.exportLimitKw) || battery.exportLimitKw < 0)) fail("battery.exportLimitKw must be a non-negative number");
  if (battery.importLimitKw !== undefined && (!isFiniteNumber(battery.importLimitKw) || battery.importLimitKw < 0)) fail("battery.importLimitKw must be a non-negative number");
  if (battery.endSocMinPct !== undefined && (!isFiniteNumber(battery.endSocMinPct) || battery.endSocMinPct < 0 || battery.endSocMinPct > 100)) fail("battery.endSocMinPct must be between 0 and 100");

  const capacityKwh = battery.capacityKwh;
  const startKwh = (battery.startSocPct / 100) * capacityKwh;
  const lowerKwh = Math.min((Math.max(battery.socMinPct, battery.dischargeFloorPct) / 100) * capacityKwh, startKwh);
  const upperKwh = Math.max((battery.socMaxPct / 100) * capacityKwh, startKwh);
  const endMinKwh = battery.endSocMinPct === undefined ? lowerKwh : Math.max(lowerKwh, (battery.endSocMinPct / 100) * capacityKwh);
  if (endMinKwh > upperKwh + 1e-9) fail("battery.endSocMinPct must not exceed socMaxPct");
  const efficiency = Math.sqrt(battery.roundTripEfficiency);
  return {
    capacityKwh,
    lowerKwh,
    upperKwh,
    startKwh,
    endMinKwh,
    chargeEfficiency: efficiency,
    dischargeEfficiency: efficiency,
    maxChargeKw: battery.maxChargeKw,
    maxDischargeKw: battery.maxDischargeKw,
    exportLimitKw: battery.exportLimitKw ?? Number.POSITIVE_INFINITY,
    importLimitKw: battery.importLimitKw ?? Number.POSITIVE_INFINITY,
    allowBatteryExport: battery.allowBatteryExport ?? true,
  };
}

function prepareSlots(slots: readonly BatteryPlanSlotInput[]): PreparedSlot[] {
  if (slots.length === 0) fail("at least one slot is required");
  let previousEnd: number | undefined;
  return slots.map((slot, index) => {
    const start = Date.parse(slot.start);
    const end = Date.parse(slot.end);
    if (!Number.isFinite(start) || !Number.isFinite(end)) fail(`slots[${index}] start and end must be ISO instants`);
    if (end <= start) fail(`slots[${index}] must end after it starts`);
    if (previousEnd !== undefined && start !== previousEnd) fail(`slots[${index}] must start where slots[${index - 1}] ends`);
    previousEnd = end;
    const solarKwh = slot.solarKwh ?? 0;
    if (!isFiniteNumber(slot.importPencePerKwh)) fail(`slots[${index}].importPencePerKwh must be a finite number`);
    if (!isFiniteNumber(slot.exportPencePerKwh)) fail(`slots[${index}].exportPencePerKwh must be a finite number`);
    if (!isFiniteNumber(slot.loadKwh)) fail(`slots[${index}].loadKwh must be a finite number`);
    if (!isFiniteNumber(solarKwh)) fail(`slots[${index}].solarKwh must be a finite number`);
    if (slot.loadKwh < 0 || solarKwh < 0) fail(`slots[${index}] load and solar must not be negative`);
    return { input: slot, hours: (end - start) / 3_600_000, loadKwh: slot.loadKwh, solarKwh };
  });
}

function importCeilingKw(slot: PreparedSlot, envelope: BatteryEnvelope): number {
  // Never needs more than load plus full charge (solar can only reduce it).
  return Math.min(envelope.importLimitKw, slot.loadKwh / slot.hours + envelope.maxChargeKw);
}

function exportCeilingKw(slot: PreparedSlot, envelope: BatteryEnvelope): number {
  const surplusKw = Math.max(0, slot.solarKwh - slot.loadKwh) / slot.hours;
  const physical = envelope.allowBatteryExport ? slot.solarKwh / slot.hours + envelope.maxDischargeKw : surplusKw;
  return Math.min(envelope.exportLimitKw, physical);
}

interface LpStructure {
  starts: Int32Array;
  indices: Int32Array;
}

// Sparsity pattern of the LP (no binaries) by slot count: identical for every battery and day, so
// it is built once; only coefficients, bounds and costs are filled in per plan.
const lpStructures = new Map<number, LpStructure>();
const MAX_CACHED_STRUCTURES = 64;

function lpStructure(slotCount: number): LpStructure {
  const cached = lpStructures.get(slotCount);
  if (cached) return cached;
  const nonZeros = 9 * slotCount - 1;
  const starts = new Int32Array(2 * slotCount + 1);
  const indices = new Int32Array(nonZeros);
  let k = 0;
  for (let t = 0; t < slotCount; t++) {
    const base = COLUMNS_PER_SLOT * t;
    starts[2 * t] = k;
    // Meter balance: charge, discharge, import, export, curtailment (ascending columns).
    for (let column = Column.Charge; column <= Column.Curtailment; column++) indices[k++] = base + column;
    starts[2 * t + 1] = k;
    // Stored energy: previous SoC (slot > 0), charge, discharge, this SoC.
    if (t > 0) indices[k++] = base - COLUMNS_PER_SLOT + Column.SocEnd;
    indices[k++] = base + Column.Charge;
    indices[k++] = base + Column.Discharge;
    indices[k++] = base + Column.SocEnd;
  }
  starts[2 * slotCount] = k;
  const structure = { starts, indices };
  if (lpStructures.size < MAX_CACHED_STRUCTURES) lpStructures.set(slotCount, structure);
  return structure;
}

interface BuiltModel {
  model: ModelData;
  /** Battery idle, meter flow basic: primal feasible whenever the limits allow the idle day. */
  startBasis: { colStatus: Int32Array; rowStatus: Int32Array };
}

/** Per slot, the bounds on the SoC at its end (kWh): the battery's own, tightened by the targets. */
interface SocBounds {
  lower: Float64Array;
  upper: Float64Array;
  /** For each target, the slots whose end it constrains. */
  targetSlots: number[][];
}

function socBounds(slots: readonly PreparedSlot[], envelope: BatteryEnvelope, targets: readonly SocTarget[]): SocBounds {
  const n = slots.length;
  const lower = new Float64Array(n).fill(envelope.lowerKwh);
  const upper = new Float64Array(n).fill(envelope.upperKwh);
  lower[n - 1] = envelope.endMinKwh;
  const ends = slots.map((slot) => Date.parse(slot.input.end));
  const starts = slots.map((slot) => Date.parse(slot.input.start));
  const targetSlots = targets.map((target, index) => {
    const from = Date.parse(target.from);
    const until = Date.parse(target.until);
    if (!Number.isFinite(from) || !Number.isFinite(until) || until < from) fail(`socTargets[${index}] needs ISO instants with from <= until`);
    if (!isFiniteNumber(target.pct) || target.pct < 0 || target.pct > 100) fail(`socTargets[${index}].pct must be between 0 and 100`);
    // The window widened to slot boundaries: an instant inside a slot brings in both of its ends
    // (the SoC moves linearly in between). A slot's index stands for the boundary at its end.
    const straddling = (instant: number): number => starts.findIndex((start, t) => start < instant && (ends[t] as number) > instant);
    const fromSlot = straddling(from);
    const untilSlot = straddling(until);
    const widenedFrom = fromSlot >= 0 ? (starts[fromSlot] as number) : from;
    const widenedUntil = untilSlot >= 0 ? (ends[untilSlot] as number) : until;
    const chosen: number[] = [];
    for (let t = 0; t < n; t++) if ((ends[t] as number) >= widenedFrom && (ends[t] as number) <= widenedUntil) chosen.push(t);
    const kwh = (target.pct / 100) * envelope.capacityKwh;
    for (const t of chosen) {
      if (target.kind === "min") lower[t] = Math.max(lower[t] as number, kwh);
      else upper[t] = Math.min(upper[t] as number, kwh);
    }
    return chosen;
  });
  for (let t = 0; t < n; t++) {
    if ((lower[t] as number) > (upper[t] as number) + 1e-9) {
      throw new BatteryPlanError("infeasible", `The SoC targets contradict each other or the battery's limits at ${slots[t]?.input.end ?? "a slot end"}`);
    }
  }
  return { lower, upper, targetSlots };
}

/** Exact LP without exclusivity binaries (the relaxation when some slot would need them). */
function buildLinearModel(slots: readonly PreparedSlot[], envelope: BatteryEnvelope, bounds: SocBounds): BuiltModel {
  const slotCount = slots.length;
  const numCols = COLUMNS_PER_SLOT * slotCount;
  const numRows = 2 * slotCount;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const rowBounds = new Float64Array(numRows);
  const { starts, indices } = lpStructure(slotCount);
  const values = new Float64Array(indices.length);
  const colStatus = new Int32Array(numCols);
  const basic = 1;
  const chargeGain = envelope.chargeEfficiency;
  const dischargeLoss = 1 / envelope.dischargeEfficiency;
  let k = 0;
  for (let t = 0; t < slotCount; t++) {
    const slot = slots[t] as PreparedSlot;
    const base = COLUMNS_PER_SLOT * t;
    const { hours } = slot;
    const { importPencePerKwh, exportPencePerKwh } = slot.input;
    colCost[base + Column.Charge] = hours * CYCLING_PENALTY_PENCE_PER_KWH;
    colCost[base + Column.Discharge] = hours * CYCLING_PENALTY_PENCE_PER_KWH;
    colCost[base + Column.GridImport] = hours * (importPencePerKwh + GRID_FLOW_PENALTY_PENCE_PER_KWH);
    colCost[base + Column.GridExport] = hours * (-exportPencePerKwh + GRID_FLOW_PENALTY_PENCE_PER_KWH);
    colCost[base + Column.Curtailment] = hours * CURTAILMENT_PENALTY_PENCE_PER_KWH;
    colUpper[base + Column.Charge] = envelope.maxChargeKw;
    colUpper[base + Column.Discharge] = envelope.maxDischargeKw;
    colUpper[base + Column.GridImport] = importCeilingKw(slot, envelope);
    colUpper[base + Column.GridExport] = exportCeilingKw(slot, envelope);
    colUpper[base + Column.Curtailment] = slot.solarKwh / hours;
    colLower[base + Column.SocEnd] = bounds.lower[t] as number;
    colUpper[base + Column.SocEnd] = bounds.upper[t] as number;

    // Power balance at the meter (kW): import - export = load - (solar - curtailed) + charge - discharge.
    const netLoadKw = (slot.loadKwh - slot.solarKwh) / hours;
    rowBounds[2 * t] = netLoadKw;
    values[k++] = -1;
    values[k++] = 1;
    values[k++] = 1;
    values[k++] = -1;
    values[k++] = -1;
    // Stored energy: soc_t = soc_{t-1} + eta_c h c - h d / eta_d.
    rowBounds[2 * t + 1] = t === 0 ? envelope.startKwh : 0;
    if (t > 0) values[k++] = -1;
    values[k++] = -chargeGain * hours;
    values[k++] = dischargeLoss * hours;
    values[k++] = 1;

    colStatus[base + (netLoadKw >= 0 ? Column.GridImport : Column.GridExport)] = basic;
    colStatus[base + Column.SocEnd] = basic;
  }
  return {
    model: {
      numCols,
      numRows,
      colCost,
      colLower,
      colUpper,
      rowLower: rowBounds,
      rowUpper: rowBounds,
      matrix: { format: "csr", numRows, numCols, starts, indices, values },
    },
    // Rows nonbasic at their (equal) bounds.
    startBasis: { colStatus, rowStatus: new Int32Array(numRows) },
  };
}

interface ExclusivityBinary {
  slot: number;
  pair: "battery" | "grid";
}

// Flows above this (kW) in both directions of a pair count as simultaneous.
const SIMULTANEOUS_TOLERANCE_KW = 1e-7;

const pairColumns = (pair: ExclusivityBinary["pair"]): readonly [number, number] =>
  pair === "battery" ? [Column.Charge, Column.Discharge] : [Column.GridImport, Column.GridExport];

const pairKey = ({ slot, pair }: ExclusivityBinary): string => `${slot}:${pair}`;

/** Every pair of flows that runs both ways at once in this answer (charge with discharge, import with export). */
function simultaneousFlows(x: Float64Array, slotCount: number): ExclusivityBinary[] {
  const found: ExclusivityBinary[] = [];
  for (let slot = 0; slot < slotCount; slot++) {
    for (const pair of ["battery", "grid"] as const) {
      const [first, second] = pairColumns(pair);
      const base = COLUMNS_PER_SLOT * slot;
      if (Math.min(x[base + first] ?? 0, x[base + second] ?? 0) > SIMULTANEOUS_TOLERANCE_KW) found.push({ slot, pair });
    }
  }
  return found;
}

/** The LP plus one binary per pair of flows that must not run at once. */
function buildMixedIntegerModel(linear: ModelData, binaries: readonly ExclusivityBinary[]): ModelData {
  const slotColumns = linear.numCols;
  const numCols = slotColumns + binaries.length;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  colCost.set(linear.colCost);
  colLower.set(linear.colLower);
  colUpper.set(linear.colUpper);
  const integrality = new Int32Array(numCols);
  const rowLower = Array.from(linear.rowLower);
  const rowUpper = Array.from(linear.rowUpper);
  if (linear.matrix.format !== "csr") throw new Error("expected a CSR matrix");
  const starts = Array.from(linear.matrix.starts);
  const indices = Array.from(linear.matrix.indices);
  const values = Array.from(linear.matrix.values);
  const addRow = (entries: readonly (readonly [number, number])[], lower: number, upper: number): void => {
    for (const [column, value] of entries) {
      indices.push(column);
      values.push(value);
    }
    starts.push(indices.length);
    rowLower.push(lower);
    rowUpper.push(upper);
  };
  binaries.forEach(({ slot, pair }, k) => {
    const base = COLUMNS_PER_SLOT * slot;
    const flag = slotColumns + k;
    colUpper[flag] = 1;
    integrality[flag] = 1;
    // flag = 1 allows only the first flow of the pair, flag = 0 only the second.
    const [first, second] = pairColumns(pair);
    const firstMax = colUpper[base + first] ?? 0;
    const secondMax = colUpper[base + second] ?? 0;
    addRow([[base + first, 1], [flag, -firstMax]], -Infinity, 0);
    addRow([[base + second, 1], [flag, secondMax]], -Infinity, secondMax);
  });
  const numRows = rowLower.length;
  return {
    numCols,
    numRows,
    colCost,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: "csr", numRows, numCols, starts, indices, values },
    integrality,
  };
}

interface SelfReliance {
  chargeKwh: number;
  dischargeKwh: number;
}

/** What the inverter's own self-consumption logic would do in one slot from a given SoC. */
function selfRelianceStep(slot: PreparedSlot, socKwh: number, envelope: BatteryEnvelope): SelfReliance {
  const surplusKwh = Math.max(0, slot.solarKwh - slot.loadKwh);
  const deficitKwh = Math.max(0, slot.loadKwh - slot.solarKwh);
  const chargeKwh = Math.max(0, Math.min(surplusKwh, envelope.maxChargeKw * slot.hours, (envelope.upperKwh - socKwh) / envelope.chargeEfficiency));
  const dischargeKwh = Math.max(0, Math.min(deficitKwh, envelope.maxDischargeKw * slot.hours, (socKwh - envelope.lowerKwh) * envelope.dischargeEfficiency));
  return { chargeKwh, dischargeKwh };
}

/** Exact cost in pence of one slot's meter flows, curtailing only what the export limit forces. */
function slotCostPence(slot: BatteryPlanSlotInput, importKwh: number, exportKwh: number): number {
  return importKwh * slot.importPencePerKwh - exportKwh * slot.exportPencePerKwh;
}

export function simulateSelfConsumptionCostPence(input: BatteryPlanInput): number {
  return selfConsumptionCostPence(prepareSlots(input.slots), batteryEnvelope(input.battery));
}

function selfConsumptionCostPence(slots: readonly PreparedSlot[], envelope: BatteryEnvelope): number {
  let socKwh = envelope.startKwh;
  let total = 0;
  for (const slot of slots) {
    const step = selfRelianceStep(slot, socKwh, envelope);
    socKwh += step.chargeKwh * envelope.chargeEfficiency - step.dischargeKwh / envelope.dischargeEfficiency;
    const netKwh = slot.loadKwh - slot.solarKwh + step.chargeKwh - step.dischargeKwh;
    const importKwh = Math.min(Math.max(0, netKwh), envelope.importLimitKw * slot.hours);
    const exportKwh = Math.min(Math.max(0, -netKwh), envelope.exportLimitKw * slot.hours);
    total += slotCostPence(slot.input, importKwh, exportKwh);
  }
  return total;
}

function classifyMode(slot: PreparedSlot, socStartKwh: number, chargeKwh: number, dischargeKwh: number, envelope: BatteryEnvelope): BatteryOperationMode {
  const surplusKwh = Math.max(0, slot.solarKwh - slot.loadKwh);
  const deficitKwh = Math.max(0, slot.loadKwh - slot.solarKwh);
  if (chargeKwh > surplusKwh + MODE_TOLERANCE_KWH) return "IMPORT_FOCUS";
  if (dischargeKwh > deficitKwh + MODE_TOLERANCE_KWH) return "EXPORT_FOCUS";
  const selfReliance = selfRelianceStep(slot, socStartKwh, envelope);
  if (Math.abs(chargeKwh - selfReliance.chargeKwh) <= MODE_TOLERANCE_KWH && Math.abs(dischargeKwh - selfReliance.dischargeKwh) <= MODE_TOLERANCE_KWH) {
    return "SELF_RELIANCE";
  }
  return "TIME_OF_USE";
}

/** Whole-pence parts that add up exactly to the rounded total (largest remainder, ties to the earlier slot). */
export function apportionPence(exactPence: readonly number[]): { parts: number[]; total: number } {
  // + 0 turns a rounded -0 into 0.
  const total = Math.round(exactPence.reduce((sum, value) => sum + value, 0)) + 0;
  const parts = exactPence.map((value) => Math.floor(value));
  let missing = total - parts.reduce((sum, value) => sum + value, 0);
  const order = exactPence
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (missing <= 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    missing -= 1;
  }
  return { parts, total };
}

function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

function clamp(value: number, lower: number, upper: number): number {
  return Math.min(upper, Math.max(lower, value));
}

/** Loads and exercises HiGHS so that later solves run at full speed. */
export async function warmBatteryPlanner(solves = 200): Promise<void> {
  await loadHighsSolver();
  const day = Date.UTC(2026, 0, 5);
  const slots: BatteryPlanSlotInput[] = Array.from({ length: 48 }, (_, i) => ({
    start: new Date(day + i * 1_800_000).toISOString(),
    end: new Date(day + (i + 1) * 1_800_000).toISOString(),
    importPencePerKwh: 10 + 20 * Math.sin(i / 7) ** 2,
    exportPencePerKwh: 5 + 5 * Math.cos(i / 5) ** 2,
    loadKwh: 0.2 + 0.3 * ((i * 7) % 5) / 5,
    solarKwh: i > 16 && i < 34 ? 0.8 * Math.sin(((i - 16) / 18) * Math.PI) : 0,
  }));
  const battery: BatterySpec = { capacityKwh: 10, maxChargeKw: 5, maxDischargeKw: 5, roundTripEfficiency: 0.9, socMinPct: 5, socMaxPct: 100, dischargeFloorPct: 10, startSocPct: 50 };
  for (let i = 0; i < solves; i++) await planBatterySchedule({ battery: { ...battery, startSocPct: 20 + (i % 60) }, slots });
}

type SolvedPlan = { columnValues: Float64Array; solver: BatteryPlan["solver"]; provenOptimal: boolean; integerSlots: number };

const infeasibleError = (): BatteryPlanError =>
  new BatteryPlanError("infeasible", "No schedule satisfies the limits (check the end-of-day SoC, export limit and import limit against load and solar)");

/** Branch-and-bound nodes per MILP solve: an effort limit that gives the same answer at any machine load, unlike a time limit. */
export const DEFAULT_MIP_NODE_LIMIT = 20_000;

/**
 * Exclusivity only where it binds. The LP (no binaries) is a relaxation of the model in which no
 * slot both charges and discharges (nor imports and exports). When its answer already keeps every
 * pair exclusive, it is that model's optimum. Otherwise the pairs that ran both ways get a binary
 * and the MILP is solved; that MILP is again a relaxation, so the loop repeats until an answer is
 * exclusive everywhere, which is then the exact optimum. It ends: each round adds at least one of
 * the 2 × slots pairs. Prices alone cannot say where this happens (burning energy through the
 * round-trip loss pays whenever emptying the battery is worth more than what exporting costs).
 */
function solvePlan(highs: Highs, slots: readonly PreparedSlot[], envelope: BatteryEnvelope, bounds: SocBounds, mipNodeLimit: number): SolvedPlan {
  const linear = buildLinearModel(slots, envelope, bounds);
  const relaxed = solveLinearModel(highs, linear.model, { startBasis: linear.startBasis });
  if (relaxed.status === "infeasible") throw infeasibleError();
  if (relaxed.status === "failed") throw new BatteryPlanError("solver_failed", relaxed.detail);
  let plan: SolvedPlan = { columnValues: relaxed.columnValues, solver: "lp", provenOptimal: true, integerSlots: 0 };
  const binaries: ExclusivityBinary[] = [];
  const withBinary = new Set<string>();
  for (;;) {
    const added = simultaneousFlows(plan.columnValues, slots.length).filter((pair) => !withBinary.has(pairKey(pair)));
    if (added.length === 0) return plan;
    for (const pair of added) {
      binaries.push(pair);
      withBinary.add(pairKey(pair));
    }
    binaries.sort((a, b) => a.slot - b.slot || a.pair.localeCompare(b.pair));
    const outcome = solveLinearModel(highs, buildMixedIntegerModel(linear.model, binaries), { mipNodeLimit });
    if (outcome.status === "infeasible") throw infeasibleError();
    if (outcome.status === "failed") throw new BatteryPlanError("solver_failed", outcome.detail);
    plan = {
      columnValues: outcome.columnValues,
      solver: "milp",
      provenOptimal: plan.provenOptimal && outcome.status === "optimal",
      integerSlots: new Set(binaries.map((pair) => pair.slot)).size,
    };
  }
}

export async function planBatterySchedule(input: BatteryPlanInput): Promise<BatteryPlan> {
  const envelope = batteryEnvelope(input.battery);
  const slots = prepareSlots(input.slots);
  const highs = await loadHighsSolver();
  const targets = input.socTargets ?? [];
  const bounds = socBounds(slots, envelope, targets);
  const { columnValues: x, solver, provenOptimal, integerSlots } = solvePlan(highs, slots, envelope, bounds, input.mipNodeLimit ?? DEFAULT_MIP_NODE_LIMIT);
  // A target binds where the planned SoC sits on it and the battery's own limit would have allowed more.
  const boundTargets = targets.flatMap((target, index) => {
    const kwh = (target.pct / 100) * envelope.capacityKwh;
    const own = (t: number): number => (target.kind === "min" ? (t === slots.length - 1 ? envelope.endMinKwh : envelope.lowerKwh) : envelope.upperKwh);
    const binds = (bounds.targetSlots[index] ?? []).some((t) => {
      const soc = x[COLUMNS_PER_SLOT * t + Column.SocEnd] ?? 0;
      return Math.abs(soc - kwh) <= 1e-6 && Math.abs(own(t) - kwh) > 1e-6;
    });
    return binds ? [target.label] : [];
  });

  const lowerPct = (envelope.lowerKwh / envelope.capacityKwh) * 100;
  const upperPct = (envelope.upperKwh / envelope.capacityKwh) * 100;
  const pct = (kwh: number): number => clamp(roundTo((kwh / envelope.capacityKwh) * 100, 4), lowerPct, upperPct);
  let socKwh = envelope.startKwh;
  let socPct = pct(socKwh);
  const exactCosts = new Array<number>(slots.length);
  const planSlots = new Array<BatteryPlanSlot>(slots.length);
  for (let t = 0; t < slots.length; t++) {
    const slot = slots[t] as PreparedSlot;
    const base = COLUMNS_PER_SLOT * t;
    const chargeKw = clamp(x[base + Column.Charge] ?? 0, 0, envelope.maxChargeKw);
    const dischargeKw = clamp(x[base + Column.Discharge] ?? 0, 0, envelope.maxDischargeKw);
    const gridImportKw = Math.max(0, x[base + Column.GridImport] ?? 0);
    const gridExportKw = Math.max(0, x[base + Column.GridExport] ?? 0);
    const curtailedSolarKw = clamp(x[base + Column.Curtailment] ?? 0, 0, slot.solarKwh / slot.hours);
    const socStartKwh = socKwh;
    const socStartPct = socPct;
    socKwh = clamp(x[base + Column.SocEnd] ?? 0, envelope.lowerKwh, envelope.upperKwh);
    socPct = pct(socKwh);
    exactCosts[t] = slotCostPence(slot.input, gridImportKw * slot.hours, gridExportKw * slot.hours);
    planSlots[t] = {
      start: slot.input.start,
      end: slot.input.end,
      chargeKw: Math.min(roundTo(chargeKw, 4), envelope.maxChargeKw),
      dischargeKw: Math.min(roundTo(dischargeKw, 4), envelope.maxDischargeKw),
      gridImportKw: roundTo(gridImportKw, 4),
      gridExportKw: roundTo(gridExportKw, 4),
      curtailedSolarKw: roundTo(curtailedSolarKw, 4),
      socStartPct,
      socEndPct: socPct,
      mode: classifyMode(slot, socStartKwh, chargeKw * slot.hours, dischargeKw * slot.hours, envelope),
      costPence: 0,
    };
  }
  const { parts, total } = apportionPence(exactCosts);
  planSlots.forEach((slot, t) => {
    slot.costPence = parts[t] ?? 0;
  });
  const baselineCostPence = Math.round(selfConsumptionCostPence(slots, envelope)) + 0;
  return {
    slots: planSlots,
    totalCostPence: total,
    baselineCostPence,
    savingPence: baselineCostPence - total,
    solver,
    provenOptimal,
    integerSlots,
    boundTargets,
  };
}

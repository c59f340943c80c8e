// Reward maths in exact integer arithmetic. See docs/verification.md for the rounding rule.

export interface EventRewardInput {
  /** Verified delivered energy, kWh; counted to the watt-hour (rounded half up). */
  deliveredKwh: number;
  /** Event price, GBP/MWh; counted to the penny per MWh. */
  priceGbpPerMwh: number;
  /** Share of the event price the operator passes to the site, percent; counted to 0.01 %. */
  operatorSharePct: number;
}

/**
 * Whole pence credited to the site: deliveredKwh x price x share, rounded DOWN (floor). Flooring
 * means a site is never credited a fraction of a penny the operator did not earn, so credits summed
 * over sites never exceed what the operator's share of the event pays. No negative rewards.
 */
export function computeEventRewardPence(input: EventRewardInput): number {
  for (const [name, value] of Object.entries(input)) {
    if (typeof value !== "number" || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number`);
  }
  if (input.operatorSharePct < 0 || input.operatorSharePct > 100) throw new RangeError("operatorSharePct must be between 0 and 100");
  const wattHours = BigInt(Math.round(input.deliveredKwh * 1000));
  const pencePerMwh = BigInt(Math.round(input.priceGbpPerMwh * 100));
  const shareBasisPoints = BigInt(Math.round(input.operatorSharePct * 100));
  if (wattHours <= 0n || pencePerMwh <= 0n || shareBasisPoints <= 0n) return 0;
  // Wh x p/MWh / 1e6 (Wh per MWh) x bp / 1e4 (bp per whole) = pence; BigInt division floors.
  return Number((wattHours * pencePerMwh * shareBasisPoints) / 10_000_000_000n);
}

"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame, axisTick, gridStroke, paletteColor } from "@/components/charts/chart-frame";
import { formatPence } from "@/components/lib/format";

/** Earned pence per category (month or event), as bars. */
export function EarningsBarChart({ title, bars, height = 240 }: { title: string; bars: { label: string; pence: number }[]; height?: number }) {
  return (
    <ChartFrame title={title} height={height} isEmpty={bars.length === 0} emptyTitle="Nothing earned yet" emptyDescription="Credits appear here once grid events are settled.">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
          <CartesianGrid stroke={gridStroke} vertical={false} />
          <XAxis dataKey="label" tick={axisTick} interval="preserveStartEnd" />
          <YAxis tick={axisTick} tickFormatter={(v: number) => formatPence(v)} width={64} />
          <Tooltip formatter={(value) => formatPence(Number(value))} />
          <Bar dataKey="pence" name="Earned" fill={paletteColor(0)} radius={[3, 3, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

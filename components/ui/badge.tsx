import type { ReactNode } from "react";
import { cx } from "../lib/class-names";
import { toneForStatus, type Tone } from "../lib/tone";

export type { Tone };
export { toneForStatus };

const toneClasses: Record<Tone, string> = {
  neutral: "bg-zinc-100 text-zinc-700 ring-zinc-500/20",
  success: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  warning: "bg-amber-50 text-amber-800 ring-amber-600/25",
  danger: "bg-red-50 text-red-700 ring-red-600/20",
  info: "bg-sky-50 text-sky-700 ring-sky-600/20",
};

const dotClasses: Record<Tone, string> = {
  neutral: "bg-zinc-400",
  success: "bg-emerald-500",
  warning: "bg-amber-500",
  danger: "bg-red-500",
  info: "bg-sky-500",
};

export type BadgeProps = { tone?: Tone; children: ReactNode; className?: string; title?: string };

/** A compact label: counts, types, tags ("battery", "OCPP 1.6"). */
export function Badge({ tone = "neutral", children, className, title }: BadgeProps) {
  return (
    <span
      title={title}
      className={cx(
        "inline-flex items-center gap-1 rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        toneClasses[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

export type StatusPillProps = {
  /** The status word as stored (e.g. "PENDING"); shown humanised ("Pending") unless `label` is given. */
  status: string;
  label?: ReactNode;
  /** Defaults to `toneForStatus(status)`. */
  tone?: Tone;
  className?: string;
};

export function humaniseStatus(status: string): string {
  const words = status.trim().replace(/[_-]+/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A rounded status with a coloured dot, so the state reads without relying on colour alone. */
export function StatusPill({ status, label, tone, className }: StatusPillProps) {
  const resolvedTone = tone ?? toneForStatus(status);
  return (
    <span
      className={cx(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        toneClasses[resolvedTone],
        className,
      )}
    >
      <span aria-hidden="true" className={cx("size-1.5 rounded-full", dotClasses[resolvedTone])} />
      {label ?? humaniseStatus(status)}
    </span>
  );
}

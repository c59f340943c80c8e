import type { ReactNode } from "react";
import { cx } from "../lib/class-names";
import type { Tone } from "../lib/tone";
import { AlertIcon, CheckIcon, CloseIcon, InfoIcon } from "./icons";

const noticeClasses: Record<Tone, string> = {
  neutral: "border-zinc-200 bg-zinc-50 text-zinc-800",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  danger: "border-red-200 bg-red-50 text-red-900",
  info: "border-sky-200 bg-sky-50 text-sky-900",
};

const iconClasses: Record<Tone, string> = {
  neutral: "text-zinc-500",
  success: "text-emerald-600",
  warning: "text-amber-600",
  danger: "text-red-600",
  info: "text-sky-600",
};

export function ToneIcon({ tone, className }: { tone: Tone; className?: string }) {
  const classes = cx("size-5 shrink-0", iconClasses[tone], className);
  if (tone === "success") return <CheckIcon className={classes} />;
  if (tone === "warning" || tone === "danger") return <AlertIcon className={classes} />;
  return <InfoIcon className={classes} />;
}

export type NoticeProps = {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  /** e.g. a link "Review credentials". */
  action?: ReactNode;
  /** Renders a close button (client parents only). */
  onDismiss?: () => void;
  className?: string;
};

/**
 * An inline message that stays on the page (a credential about to expire, a form-level error).
 * Danger and warning notices are announced as alerts; others politely.
 */
export function Notice({ tone = "info", title, children, action, onDismiss, className }: NoticeProps) {
  return (
    <div
      role={tone === "danger" || tone === "warning" ? "alert" : "status"}
      className={cx("flex gap-3 rounded-lg border px-4 py-3 text-sm", noticeClasses[tone], className)}
    >
      <ToneIcon tone={tone} />
      <div className="min-w-0 flex-1">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className={cx(title ? "mt-1" : undefined, "opacity-90")}>{children}</div> : null}
        {action ? <div className="mt-2 font-medium">{action}</div> : null}
      </div>
      {onDismiss ? (
        <button
          type="button"
          onClick={onDismiss}
          className="-m-1 h-fit rounded-md p-1 opacity-70 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-current"
        >
          <span className="sr-only">Dismiss</span>
          <CloseIcon className="size-4" />
        </button>
      ) : null}
    </div>
  );
}

import { cx } from "../lib/class-names";

export type SpinnerProps = {
  /** Spoken to screen readers; pass "" when a surrounding control already says it is busy. */
  label?: string;
  size?: "sm" | "md" | "lg";
  className?: string;
};

const sizeClasses = { sm: "size-4", md: "size-5", lg: "size-8" } as const;

export function Spinner({ label = "Loading", size = "md", className }: SpinnerProps) {
  return (
    <span role={label ? "status" : undefined} className={cx("inline-flex items-center", className)}>
      <svg
        viewBox="0 0 24 24"
        fill="none"
        aria-hidden="true"
        className={cx("animate-spin motion-reduce:animate-[spin_1.5s_linear_infinite]", sizeClasses[size])}
      >
        <circle cx="12" cy="12" r="9.5" stroke="currentColor" strokeOpacity="0.2" strokeWidth="3" />
        <path d="M21.5 12A9.5 9.5 0 0 0 12 2.5" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
      </svg>
      {label ? <span className="sr-only">{label}</span> : null}
    </span>
  );
}

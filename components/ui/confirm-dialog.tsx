"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cx } from "../lib/class-names";
import { Button } from "./button";
import { AlertIcon } from "./icons";
import { controlClassName } from "./form-field";

export type ConfirmDialogProps = {
  open: boolean;
  title: ReactNode;
  /** One or two sentences on what is about to happen. */
  description?: ReactNode;
  /** What follows from confirming, listed so nothing is a surprise ("Revokes 3 consents", "Cancels pending actions"). */
  consequences?: ReactNode[];
  confirmLabel?: string;
  cancelLabel?: string;
  /** Danger makes the confirm button red and starts focus on Cancel. */
  tone?: "default" | "danger";
  /** When set, the user must type this exact text (e.g. the site's MPAN) before confirming. */
  confirmationText?: string;
  /** Shows a spinner on confirm and blocks closing while the work runs. */
  busy?: boolean;
  /** An error from the last attempt, shown inside the dialog. */
  error?: ReactNode;
  onConfirm: () => void;
  /** Called on Cancel, Escape or a click on the backdrop. */
  onCancel: () => void;
};

const focusableSelector =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal confirmation built on <dialog>.showModal(): the rest of the page is inert, Escape
 * closes it, Tab stays inside, and focus returns to the control that opened it.
 */
export function ConfirmDialog({
  open,
  title,
  description,
  consequences,
  confirmLabel = "Confirm",
  cancelLabel = "Cancel",
  tone = "default",
  confirmationText,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const typedRef = useRef<HTMLInputElement>(null);
  const returnFocusTo = useRef<HTMLElement | null>(null);
  const [typed, setTyped] = useState("");
  const titleId = useId();
  const descriptionId = useId();
  const typedId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocusTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setTyped("");
      dialog.showModal();
      const initial = confirmationText
        ? typedRef.current
        : tone === "danger"
          ? cancelRef.current
          : confirmRef.current;
      initial?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      returnFocusTo.current?.focus();
      returnFocusTo.current = null;
    }
  }, [open, confirmationText, tone]);

  const confirmationMatches = confirmationText === undefined || typed.trim() === confirmationText;

  function requestCancel() {
    if (!busy) onCancel();
  }

  function trapFocus(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== "Tab" || !dialogRef.current) return;
    const focusable = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(focusableSelector));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      aria-busy={busy || undefined}
      onCancel={(event) => {
        // Escape: let the parent decide, so `open` stays the single source of truth.
        event.preventDefault();
        requestCancel();
      }}
      onKeyDown={trapFocus}
      onClick={(event) => {
        if (event.target === event.currentTarget) requestCancel();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-xl bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/40 backdrop:backdrop-blur-[1px]"
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (confirmationMatches && !busy) onConfirm();
        }}
        className="p-5 sm:p-6"
      >
        <div className="flex gap-4">
          {tone === "danger" ? (
            <div className="flex size-10 shrink-0 items-center justify-center rounded-full bg-red-50 text-red-600">
              <AlertIcon className="size-5" />
            </div>
          ) : null}
          <div className="min-w-0 flex-1">
            <h2 id={titleId} className="text-base font-semibold">
              {title}
            </h2>
            {description ? (
              <div id={descriptionId} className="mt-2 text-sm text-zinc-600">
                {description}
              </div>
            ) : null}
            {consequences && consequences.length > 0 ? (
              <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-zinc-700 marker:text-zinc-400">
                {consequences.map((consequence, index) => (
                  <li key={index}>{consequence}</li>
                ))}
              </ul>
            ) : null}
            {confirmationText !== undefined ? (
              <div className="mt-4 space-y-1.5">
                <label htmlFor={typedId} className="block text-sm text-zinc-700">
                  Type{" "}
                  <span className="font-mono font-semibold text-zinc-900 select-all">{confirmationText}</span>{" "}
                  to confirm
                </label>
                <input
                  ref={typedRef}
                  id={typedId}
                  value={typed}
                  onChange={(event) => setTyped(event.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  className={cx(controlClassName, "font-mono")}
                />
              </div>
            ) : null}
            {error ? (
              <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
                {error}
              </p>
            ) : null}
          </div>
        </div>
        <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button ref={cancelRef} variant="secondary" onClick={requestCancel} disabled={busy}>
            {cancelLabel}
          </Button>
          <Button
            ref={confirmRef}
            type="submit"
            variant={tone === "danger" ? "danger" : "primary"}
            loading={busy}
            disabled={!confirmationMatches}
          >
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

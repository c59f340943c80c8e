"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { AlertIcon, CheckIcon, CopyIcon } from "./icons";

export type SecretRevealProps = {
  /** The secret, shown in full exactly this once. */
  secret: string;
  /** What it is: "Client secret", "Webhook signing secret". */
  label?: string;
  /** Defaults to a warning that it will not be shown again. */
  warning?: ReactNode;
  /** Other identifiers worth copying at the same time, e.g. the client id. */
  children?: ReactNode;
  /** e.g. to enable a "Done" button only after the secret has been copied. */
  onCopied?: () => void;
};

async function copyText(text: string, fallbackInput: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API needs a secure context; on plain http select the text so Ctrl+C works.
    fallbackInput?.focus();
    fallbackInput?.select();
    return false;
  }
}

export function SecretReveal({ secret, label = "Secret", warning, children, onCopied }: SecretRevealProps) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<"idle" | "copied" | "selected">("idle");
  const resetTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (resetTimer.current) clearTimeout(resetTimer.current);
    },
    [],
  );

  async function onCopy() {
    const copied = await copyText(secret, inputRef.current);
    setCopyState(copied ? "copied" : "selected");
    if (copied) onCopied?.();
    if (resetTimer.current) clearTimeout(resetTimer.current);
    resetTimer.current = setTimeout(() => setCopyState("idle"), 2500);
  }

  return (
    <div className="space-y-3 rounded-lg border border-amber-200 bg-amber-50/60 p-4">
      <div className="flex gap-2 text-sm text-amber-900" role="note">
        <AlertIcon className="size-5 shrink-0 text-amber-600" />
        <p>
          {warning ?? (
            <>Copy this {label.toLowerCase()} now and store it somewhere safe. It will not be shown again.</>
          )}
        </p>
      </div>
      <div className="space-y-1.5">
        <label htmlFor={id} className="block text-sm font-medium text-zinc-900">
          {label}
        </label>
        <div className="flex gap-2">
          <input
            ref={inputRef}
            id={id}
            readOnly
            value={secret}
            onFocus={(event) => event.currentTarget.select()}
            spellCheck={false}
            autoComplete="off"
            className="block w-full min-w-0 rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm text-zinc-900 shadow-xs focus:border-indigo-500 focus:outline-2 focus:outline-indigo-500/30"
          />
          <Button
            variant="secondary"
            onClick={onCopy}
            icon={
              copyState === "copied" ? (
                <CheckIcon className="size-4 text-emerald-600" />
              ) : (
                <CopyIcon className="size-4" />
              )
            }
          >
            {copyState === "copied" ? "Copied" : "Copy"}
          </Button>
        </div>
        <p aria-live="polite" className="min-h-4 text-xs text-zinc-500">
          {copyState === "copied"
            ? `${label} copied to the clipboard.`
            : copyState === "selected"
              ? "Copying is blocked here: the text is selected, press Ctrl+C (⌘C) to copy."
              : ""}
        </p>
      </div>
      {children}
    </div>
  );
}

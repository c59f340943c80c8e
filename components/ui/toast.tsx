"use client";

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { cx } from "../lib/class-names";
import type { Tone } from "../lib/tone";
import { CloseIcon } from "./icons";
import { ToneIcon } from "./notice";

export type ToastInput = {
  title: ReactNode;
  description?: ReactNode;
  tone?: Tone;
  /** Milliseconds before it goes; 0 keeps it until dismissed. Errors default to staying. */
  durationMs?: number;
};

type ToastEntry = ToastInput & { id: number; tone: Tone };

export type ToastApi = {
  /** Shows a toast and returns its id. */
  notify: (toast: ToastInput) => number;
  dismiss: (id: number) => void;
};

const ToastContext = createContext<ToastApi | null>(null);

/** Transient confirmations ("Client created", "Action cancelled"). Wrap the dashboard once. */
export function ToastProvider({
  children,
  defaultDurationMs = 5000,
}: {
  children: ReactNode;
  defaultDurationMs?: number;
}) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);

  const notify = useCallback(
    (input: ToastInput) => {
      const id = nextId.current;
      nextId.current += 1;
      const tone = input.tone ?? "success";
      setToasts((current) => [...current.slice(-4), { ...input, id, tone }]);
      const duration = input.durationMs ?? (tone === "danger" ? 0 : defaultDurationMs);
      if (duration > 0)
        timers.current.set(
          id,
          setTimeout(() => dismiss(id), duration),
        );
      return id;
    },
    [defaultDurationMs, dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    };
  }, []);

  const api = useMemo(() => ({ notify, dismiss }), [notify, dismiss]);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div
        aria-live="polite"
        aria-relevant="additions"
        className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end sm:p-6"
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            role={toast.tone === "danger" ? "alert" : "status"}
            className="pointer-events-auto flex w-full max-w-sm gap-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-lg"
          >
            <ToneIcon tone={toast.tone} />
            <div className="min-w-0 flex-1">
              <p className="font-medium text-zinc-900">{toast.title}</p>
              {toast.description ? <p className="mt-1 text-zinc-600">{toast.description}</p> : null}
            </div>
            <button
              type="button"
              onClick={() => dismiss(toast.id)}
              className={cx(
                "-m-1 h-fit rounded-md p-1 text-zinc-400 hover:text-zinc-600 focus-visible:outline-2 focus-visible:outline-indigo-600",
              )}
            >
              <span className="sr-only">Dismiss notification</span>
              <CloseIcon className="size-4" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** The toast API; throws when used outside ToastProvider so a missing provider is found at once. */
export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast must be used inside <ToastProvider>.");
  return api;
}

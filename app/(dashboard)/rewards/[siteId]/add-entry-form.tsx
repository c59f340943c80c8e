"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { SelectField } from "@/components/ui/select-field";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";

const ENTRY_TYPES = [
  { value: "sign_up_bonus", label: "Sign-up bonus" },
  { value: "correction", label: "Correction" },
] as const;
type EntryType = (typeof ENTRY_TYPES)[number]["value"];
const isEntryType = (v: string): v is EntryType => ENTRY_TYPES.some((t) => t.value === v);

/** "12.5" or "-3.20" pounds as whole pence, without floating point; null when it is not an amount. */
export function poundsToPence(text: string): number | null {
  const match = /^(-)?£?\s*(\d{1,6})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const pence = Number(match[2]) * 100 + Number((match[3] ?? "").padEnd(2, "0"));
  return match[1] ? -pence : pence;
}

/** A bonus or correction on the site's ledger (appended: the ledger is never edited). */
export function AddEntryForm({ siteId, onDone }: { siteId: string; onDone: (message: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [entryType, setEntryType] = useState<EntryType>("correction");
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [amountError, setAmountError] = useState<string | null>(null);
  const add = useMutation(
    trpc.rewards.addEntry.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.rewards.pathKey() });
        onDone(entryType === "sign_up_bonus" ? "Sign-up bonus added; it awaits approval like any credit." : "Correction added; it awaits approval like any credit.");
      },
    }),
  );
  const errors = fieldErrorsOf(add.error);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const pence = amount.trim() === "" ? undefined : poundsToPence(amount);
    if (pence === null) return setAmountError("Enter pounds and pence, such as 5.00 or -2.50.");
    if (pence === undefined && entryType === "correction") return setAmountError("Enter the amount of the correction.");
    setAmountError(null);
    add.mutate({ siteId, entryType, note, ...(pence === undefined ? {} : { amountPence: pence }) });
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-4 p-4 sm:grid-cols-3" aria-label="Add a ledger entry">
      <SelectField label="Entry" options={[...ENTRY_TYPES]} value={entryType} onChange={(e) => isEntryType(e.target.value) && setEntryType(e.target.value)} />
      <InputField
        label="Amount (£)"
        inputMode="decimal"
        hint={entryType === "sign_up_bonus" ? "Empty: the bonus in the reward settings." : "Negative to take money off."}
        value={amount}
        error={amountError ?? errors.amountPence}
        onChange={(e) => setAmount(e.target.value)}
      />
      <InputField label="Note" required hint="Why, for the household and for audit." value={note} error={errors.note} onChange={(e) => setNote(e.target.value)} />
      {add.error && !errors.amountPence && !errors.note ? (
        <Notice tone="danger" title="The entry was not added" className="sm:col-span-3">
          {messageOf(add.error)}
        </Notice>
      ) : null}
      <div className="sm:col-span-3">
        <Button type="submit" loading={add.isPending}>
          Add entry
        </Button>
      </div>
    </form>
  );
}

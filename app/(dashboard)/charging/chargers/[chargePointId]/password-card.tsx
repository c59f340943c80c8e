"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "@/components/lib/format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";

/** The charger's HTTP Basic password: set or rotated by operators, shown once, never again. */
export function PasswordCard({ id, passwordSetAt, canManage }: { id: string; passwordSetAt: Date | null; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const rotate = useMutation(
    trpc.directChargers.setPassword.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries({ queryKey: trpc.directChargers.get.queryKey({ id }) });
      },
    }),
  );
  const hasPassword = passwordSetAt !== null;
  return (
    <Card
      title="Password"
      description="The charger signs in with its charge point id and this password (HTTP Basic)."
      actions={
        canManage ? (
          <Button size="sm" variant="secondary" onClick={() => setConfirming(true)}>
            {hasPassword ? "Rotate password" : "Set password"}
          </Button>
        ) : null
      }
    >
      {rotate.data ? (
        <SecretReveal secret={rotate.data.password} label="New password" warning="Copy it into the charger's configuration now: it is not stored readably and will not be shown again." />
      ) : hasPassword ? (
        <p className="text-sm text-zinc-600">Set {formatDateTime(passwordSetAt)}. It cannot be shown again; rotate it to get a new one.</p>
      ) : (
        <Notice tone="warning" title="No password yet">
          The charger cannot connect until a password is set{canManage ? "." : ": ask an operator to set one."}
        </Notice>
      )}
      <ConfirmDialog
        open={confirming}
        title={hasPassword ? "Rotate the charger's password?" : "Set a password for the charger?"}
        description="A new password is generated and shown once."
        consequences={hasPassword ? ["The old password stops working at once: the charger cannot reconnect until it is given the new one.", "A live connection stays open until it drops."] : []}
        tone={hasPassword ? "danger" : "default"}
        confirmLabel={hasPassword ? "Rotate password" : "Set password"}
        cancelLabel="Cancel"
        busy={rotate.isPending}
        error={rotate.error ? messageOf(rotate.error) : undefined}
        onConfirm={() => rotate.mutate({ id })}
        onCancel={() => setConfirming(false)}
      />
    </Card>
  );
}

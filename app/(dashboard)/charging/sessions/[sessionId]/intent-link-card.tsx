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

/** Operators hand a householder a signed link to set their charging intent; the link is shown once. */
export function IntentLinkCard({ assetId, siteId }: { assetId: string; siteId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const refreshLinks = () => void queryClient.invalidateQueries({ queryKey: trpc.chargingViews.intentLinks.queryKey({ siteId }) });
  const create = useMutation(trpc.chargingViews.createIntentLink.mutationOptions({ onSuccess: refreshLinks }));
  const revoke = useMutation(
    trpc.chargingViews.revokeIntentLink.mutationOptions({
      onSuccess: () => {
        setConfirmRevoke(false);
        create.reset();
        refreshLinks();
      },
    }),
  );
  const link = create.data;
  return (
    <Card
      title="Householder link"
      description="A signed link the householder opens without an account to set how much energy they need and by when."
      actions={
        <Button size="sm" variant="secondary" loading={create.isPending} onClick={() => create.mutate({ assetId })}>
          Create link
        </Button>
      }
    >
      {create.error ? (
        <Notice tone="danger" title="The link could not be created">
          {messageOf(create.error)}
        </Notice>
      ) : null}
      {link ? (
        <div className="space-y-3">
          <SecretReveal secret={link.url} label="Intent link" warning="Send this link to the householder now: it is not stored and will not be shown again.">
            <p className="text-sm text-zinc-600">Works until {formatDateTime(link.expiresAt)}.</p>
          </SecretReveal>
          <Button size="sm" variant="danger" onClick={() => setConfirmRevoke(true)}>
            Revoke this link
          </Button>
          <ConfirmDialog
            open={confirmRevoke}
            title="Revoke the householder link?"
            description="The householder will see that the link is no longer active."
            tone="danger"
            confirmLabel="Revoke link"
            cancelLabel="Keep it"
            busy={revoke.isPending}
            error={revoke.error ? messageOf(revoke.error) : undefined}
            onConfirm={() => revoke.mutate({ linkId: link.linkId })}
            onCancel={() => setConfirmRevoke(false)}
          />
        </div>
      ) : (
        <p className="text-sm text-zinc-600">{revoke.isSuccess ? "The link was revoked." : "No link shown. Creating one does not change any existing link."}</p>
      )}
    </Card>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { ErrorState } from "@/components/ui/error-state";
import { Notice } from "@/components/ui/notice";
import { SkeletonText } from "@/components/ui/skeleton";
import { Timeline } from "@/components/ui/timeline";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";
import { propositionLabel } from "../labels";
import { ConsentLinkPanel } from "./consent-link-panel";

const CHANNEL_LABELS: Record<string, string> = { partner_api: "Partner API", operator: "Operator", householder_page: "Householder page", system: "System" };
const kindLabel = (kind: string) => (kind === "boundary_meter" ? "Boundary meter readings" : propositionLabel(kind).replace(/_/g, " "));

/** The site page's consent and enrolment section: enrolments, consent timeline, consent links and offboarding. */
export function ConsentSection({ siteId, siteStatus, householderEmail }: { siteId: string; siteStatus: string; householderEmail: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useRole().can("consent:write");
  const [linkOpen, setLinkOpen] = useState(false);
  const [offboardOpen, setOffboardOpen] = useState(false);
  const [pendingOverride, setPendingOverride] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  const enrolments = useQuery(trpc.consent.enrolments.queryOptions({ siteId }));
  const timeline = useQuery(trpc.consent.timeline.queryOptions({ siteId }));
  const history = useQuery(trpc.consent.enrolmentHistory.queryOptions({ siteId }));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.consent.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.sites.pathKey() });
  };
  const onError = (error: unknown) => setMessage({ tone: "danger", text: messageOf(error) });
  const enrol = useMutation(
    trpc.consent.enrol.mutationOptions({
      onSuccess: (result, input) => {
        setPendingOverride(null);
        setMessage({ tone: "success", text: result.status === "enrolled" ? `Enrolled in ${propositionLabel(input.proposition)}.` : "Already enrolled." });
        refresh();
      },
      onError,
    }),
  );
  const unenrol = useMutation(
    trpc.consent.unenrol.mutationOptions({
      onSuccess: (_result, input) => {
        setMessage({ tone: "success", text: `Unenrolled from ${propositionLabel(input.proposition)}.` });
        refresh();
      },
      onError,
    }),
  );
  const offboard = useMutation(
    trpc.consent.offboard.mutationOptions({
      onSuccess: (result) => {
        setOffboardOpen(false);
        setMessage({
          tone: "success",
          text: result.nothingLeftToDo
            ? "The site was already offboarded; nothing was left to do."
            : `Offboarded: ${result.consentsWithdrawn.length} consents withdrawn, ${result.enrolmentsEnded.length} enrolments ended, ${result.actionsCancelled} pending actions cancelled, ${result.credentialsDeleted} OEM credentials deleted, personal data removed (${result.personalDataRemoved.join(", ") || "none held"}).`,
        });
        refresh();
      },
    }),
  );
  const offboarded = siteStatus === "offboarded";

  return (
    <>
      {message ? (
        <Notice tone={message.tone} className="mt-6" onDismiss={() => setMessage(null)}>
          {message.text}
        </Notice>
      ) : null}
      <Card
        title="Enrolment"
        description="Per proposition: the enrolment state, whether the household's dispatch consent is on record, and why the site is not eligible where it is not."
        className="mt-6"
        flush
        actions={
          canWrite && !offboarded ? (
            <div className="flex flex-wrap gap-2">
              <Button size="sm" variant="secondary" disabled={linkOpen} onClick={() => setLinkOpen(true)}>
                Send consent link
              </Button>
              <Button size="sm" variant="danger" onClick={() => setOffboardOpen(true)}>
                Offboard site
              </Button>
            </div>
          ) : null
        }
      >
        {linkOpen ? <ConsentLinkPanel siteId={siteId} householderEmail={householderEmail} onClose={() => setLinkOpen(false)} /> : null}
        {enrolments.error ? (
          <ErrorState message={messageOf(enrolments.error)} onRetry={() => void enrolments.refetch()} />
        ) : (
          <DataTable
            bare
            caption="Enrolment per proposition"
            loading={enrolments.isLoading}
            rows={enrolments.data ?? []}
            getRowKey={(row) => row.proposition}
            columns={[
              { key: "proposition", header: "Proposition", render: (row) => propositionLabel(row.proposition) },
              { key: "state", header: "State", render: (row) => <StatusPill status={row.state} /> },
              { key: "consent", header: "Dispatch consent", render: (row) => (row.dispatchConsent ? <Badge tone="success">Given</Badge> : <Badge>None</Badge>) },
              {
                key: "eligibility",
                header: "Eligibility",
                hideBelow: "md",
                render: (row) =>
                  row.eligible ? (
                    <Badge tone="success">Eligible</Badge>
                  ) : (
                    <ul className="list-disc space-y-0.5 pl-4 text-sm text-zinc-600">
                      {row.issues.map((issue) => (
                        <li key={issue.code}>{issue.message}</li>
                      ))}
                    </ul>
                  ),
              },
              {
                key: "actions",
                header: <span className="sr-only">Actions</span>,
                align: "right",
                render: (row) =>
                  !canWrite || offboarded ? null : row.state === "enrolled" ? (
                    <Button size="sm" variant="secondary" loading={unenrol.isPending && unenrol.variables?.proposition === row.proposition} onClick={() => unenrol.mutate({ siteId, proposition: row.proposition })}>
                      Unenrol<span className="sr-only"> from {propositionLabel(row.proposition)}</span>
                    </Button>
                  ) : (
                    <Button
                      size="sm"
                      disabled={!row.eligible}
                      loading={enrol.isPending && enrol.variables?.proposition === row.proposition}
                      onClick={() => (row.state === "withdrawn" ? setPendingOverride(row.proposition) : enrol.mutate({ siteId, proposition: row.proposition }))}
                    >
                      Enrol<span className="sr-only"> in {propositionLabel(row.proposition)}</span>
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </Card>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card title="Consent timeline" description="Every consent record, newest first, with its channel and evidence. Records are never changed.">
          {timeline.isLoading ? (
            <SkeletonText lines={4} />
          ) : timeline.error ? (
            <ErrorState message={messageOf(timeline.error)} onRetry={() => void timeline.refetch()} />
          ) : (
            <Timeline
              empty="No consent has been recorded for this site yet."
              items={(timeline.data ?? []).map((entry) => ({
                id: String(entry.id),
                time: entry.occurredAt,
                tone: entry.action === "granted" ? "success" : "warning",
                title: `${kindLabel(entry.kind)}: ${entry.action}`,
                meta: `${CHANNEL_LABELS[entry.channel] ?? entry.channel} · ${entry.actorLabel}`,
                body: (
                  <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-xs text-zinc-600">
                    {entry.consentTextVersion ? (
                      <>
                        <dt>Text version</dt>
                        <dd>{entry.consentTextVersion}</dd>
                      </>
                    ) : null}
                    {typeof entry.evidence.ipAddress === "string" ? (
                      <>
                        <dt>IP address</dt>
                        <dd>{entry.evidence.ipAddress}</dd>
                      </>
                    ) : null}
                    {typeof entry.evidence.userAgent === "string" ? (
                      <>
                        <dt>Browser</dt>
                        <dd className="break-all">{entry.evidence.userAgent}</dd>
                      </>
                    ) : null}
                    {entry.reason ? (
                      <>
                        <dt>Reason</dt>
                        <dd>{entry.reason}</dd>
                      </>
                    ) : null}
                  </dl>
                ),
              }))}
            />
          )}
        </Card>
        <Card title="Enrolment history" description="Every enrolment change, with who made it and why.">
          {history.isLoading ? (
            <SkeletonText lines={4} />
          ) : (
            <Timeline
              empty="The site has never been enrolled."
              items={(history.data ?? []).map((entry) => ({
                id: String(entry.id),
                time: entry.createdAt,
                tone: entry.toState === "enrolled" ? "success" : entry.toState === "withdrawn" ? "warning" : "neutral",
                title: `${propositionLabel(entry.proposition)}: ${entry.toState}`,
                meta: entry.actorLabel,
                ...(entry.reason ? { body: entry.reason } : {}),
              }))}
            />
          )}
        </Card>
      </div>

      <ConfirmDialog
        open={pendingOverride !== null}
        title="The household withdrew from this proposition"
        description="Enrol again only if the household has agreed again, for example by phone. The override is recorded."
        confirmLabel="Enrol anyway"
        busy={enrol.isPending}
        onConfirm={() => pendingOverride && enrol.mutate({ siteId, proposition: pendingOverride, overrideWithdrawal: true, reason: "Operator override of household withdrawal" })}
        onCancel={() => setPendingOverride(null)}
      />
      <ConfirmDialog
        open={offboardOpen}
        tone="danger"
        title="Offboard this site?"
        description="This cannot be undone. It will:"
        consequences={[
          "withdraw every consent (the history and its evidence are kept)",
          "end every enrolment and tell the partner",
          "cancel pending actions for the site's assets",
          "delete the manufacturer-cloud credentials",
          "remove the email, names and street address; readings, rewards and consent history are kept for the retention period",
          "make existing consent links stop working",
        ]}
        confirmLabel="Offboard site"
        busy={offboard.isPending}
        {...(offboard.error ? { error: messageOf(offboard.error) } : {})}
        onConfirm={() => offboard.mutate({ siteId, reason: "Offboarded from the dashboard" })}
        onCancel={() => setOffboardOpen(false)}
      />
    </>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { formatDateTime } from "@/components/lib/format";
import { Button } from "@/components/ui/button";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";

/**
 * "Send consent link": emails a fresh link to the householder on file; the same link to copy and
 * as a QR code for an installer at the door. Agreeing enrols the site unless review is ticked.
 */
export function ConsentLinkPanel({ siteId, householderEmail, onClose }: { siteId: string; householderEmail: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const [review, setReview] = useState(false);
  const [copied, setCopied] = useState(false);
  const linkInput = useRef<HTMLInputElement>(null);
  const send = useMutation(trpc.consent.sendLink.mutationOptions());
  const sent = send.data;

  const copy = async () => {
    if (!sent) return;
    try {
      await navigator.clipboard.writeText(sent.url);
      setCopied(true);
    } catch {
      // No clipboard on plain http: select the text so Ctrl+C works.
      linkInput.current?.select();
    }
  };

  if (!sent) {
    return (
      <div className="space-y-4 border-b border-zinc-200 p-4">
        <p className="text-sm text-zinc-700">
          {householderEmail
            ? `A link to the household's choices will be emailed to ${householderEmail}. You can also copy it or show its QR code.`
            : "The site has no customer email on file, so nothing will be emailed: copy the link or show its QR code to the household. Add an email with Edit site to send it by mail."}
        </p>
        <CheckboxField
          label="Review agreements before enrolling"
          hint="Off: when the household agrees, the site is enrolled at once. On: the agreement is recorded and you enrol the site here."
          checked={review}
          onChange={(e) => setReview(e.target.checked)}
        />
        {send.error ? (
          <Notice tone="danger" title="The link was not sent">
            {messageOf(send.error)}
          </Notice>
        ) : null}
        <div className="flex gap-2">
          <Button loading={send.isPending} onClick={() => send.mutate({ siteId, reviewBeforeEnrolment: review })}>
            {householderEmail ? "Send link" : "Create link"}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="grid gap-4 border-b border-zinc-200 p-4 sm:grid-cols-[1fr_auto]">
      <div className="space-y-3">
        {sent.emailedTo && sent.emailSent ? (
          <Notice tone="success">Consent link emailed to {sent.emailedTo}.</Notice>
        ) : sent.emailedTo ? (
          <Notice tone="warning" title="The email could not be sent">
            The link works: copy it or show the QR code, and check Settings, Mailbox for why the mail failed.
          </Notice>
        ) : null}
        <InputField
          ref={linkInput}
          label="Consent link"
          readOnly
          value={sent.url}
          hint={`Works until ${formatDateTime(sent.expiresAt)}. ${sent.reviewBeforeEnrolment ? "Agreements wait for your review before the site is enrolled." : "Agreeing enrols the site at once."}`}
          onFocus={(event) => event.currentTarget.select()}
        />
        <div className="flex gap-2">
          <Button size="sm" variant="secondary" onClick={() => void copy()}>
            {copied ? "Copied" : "Copy link"}
          </Button>
          <Button size="sm" variant="ghost" onClick={onClose}>
            Done
          </Button>
        </div>
      </div>
      {/* The SVG comes from our own QR encoder (server/services/consent/send-consent-link.ts), shown as an image. */}
      <figure className="justify-self-start">
        <img src={`data:image/svg+xml;utf8,${encodeURIComponent(sent.qrCodeSvg)}`} alt="QR code of the consent link, for the household to scan" width={160} height={160} className="rounded bg-white p-1 ring-1 ring-zinc-200" />
        <figcaption className="mt-1 text-xs text-zinc-500">For installers: let the household scan it.</figcaption>
      </figure>
    </div>
  );
}

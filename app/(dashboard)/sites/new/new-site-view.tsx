"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Card } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";
import { SiteForm } from "../site-form";

export function NewSiteView() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canWrite = useRole().can("sites:write");
  const create = useMutation(
    trpc.sites.create.mutationOptions({
      onSuccess: (site) => {
        void queryClient.invalidateQueries({ queryKey: trpc.sites.list.pathKey() });
        router.push(`/sites/${site.id}`);
      },
    }),
  );
  return (
    <>
      <PageHeader eyebrow={<Link href="/sites">← Sites</Link>} title="Add a site" description="A site is one metering point: its MPAN, postcode and address. Add its assets from the site's page or with a CSV import." />
      {canWrite ? (
        <Card>
          <SiteForm
            submitLabel="Add site"
            busy={create.isPending}
            serverErrors={fieldErrorsOf(create.error)}
            serverMessage={create.error ? messageOf(create.error) : undefined}
            onSubmit={(values) => create.mutate(values)}
            onCancel={() => router.push("/sites")}
          />
        </Card>
      ) : (
        <Notice tone="info">Viewers cannot add sites. Ask an operator or an admin.</Notice>
      )}
    </>
  );
}

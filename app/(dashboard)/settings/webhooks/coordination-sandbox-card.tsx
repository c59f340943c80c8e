"use client";

// The energy-coordination sandbox switch: partners can ask for test events and sample data only
// where an admin has switched it on.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Card } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { ErrorState } from "@/components/ui/error-state";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";

export function CoordinationSandboxCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canChange = useRole().can("organisation:settings");
  const enabled = useQuery(trpc.energyCoordination.simulationEnabled.queryOptions());
  const change = useMutation(
    trpc.energyCoordination.setSimulationEnabled.mutationOptions({
      onSuccess: () =>
        void queryClient.invalidateQueries({
          queryKey: trpc.energyCoordination.simulationEnabled.queryKey(),
        }),
    }),
  );
  return (
    <Card
      className="mt-6"
      title="Partner sandbox (energy coordination)"
      description="Lets partners on the energy-coordination API ask for test events and sample users to try their integration. Test events reach their webhooks like real ones, marked as simulated."
    >
      {enabled.error ? (
        <ErrorState
          title="The sandbox setting could not be loaded"
          message={messageOf(enabled.error)}
          onRetry={() => void enabled.refetch()}
        />
      ) : (
        <CheckboxField
          label="Partners may use the sandbox"
          hint={
            canChange
              ? "Switch it off in production if partners should only see real events."
              : "Only admins can change this."
          }
          checked={enabled.data ?? false}
          disabled={!canChange || enabled.isLoading || change.isPending}
          error={change.error ? messageOf(change.error) : undefined}
          onChange={(e) => change.mutate({ enabled: e.target.checked })}
        />
      )}
    </Card>
  );
}

// The identities and passwords of bench/ocpp-connections.ts's charge points, known to both its processes.
export function benchChargePointId(index: number): string {
  return `bench-cp-${String(index).padStart(5, "0")}`;
}

export function benchPassword(index: number): string {
  return `bench-password-${String(index).padStart(5, "0")}`;
}

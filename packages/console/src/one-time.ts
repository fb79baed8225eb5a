/**
 * A secret the API shows once (a new web client's secret), handed from the register view to the
 * client's page in memory only: never in the URL, storage or history state.
 */
const pending = new Map<string, string>();

export function keepSecretFor(clientId: string, secret: string): void {
  pending.set(clientId, secret);
}

export function takeSecretFor(clientId: string): string | undefined {
  const secret = pending.get(clientId);
  pending.delete(clientId);
  return secret;
}

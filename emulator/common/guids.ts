// GUIDs: the shape Azure's ids take, and stable ones derived from a label, so that a restart (or another
// emulator) gives the same principal, client, group and assignment ids.
import { createHash } from 'node:crypto';

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stable GUID derived from a label (principal and client ids of the emulated identities). */
export function stableGuid(label: string): string {
  const h = createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A user-assigned managed identity (Microsoft.ManagedIdentity/userAssignedIdentities). */

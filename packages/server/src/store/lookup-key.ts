/**
 * Look-ups take identifiers straight from the network (client_id, the pending request id, a
 * username, the tenant in the path). A value no row can hold — one with a NUL byte, which
 * PostgreSQL's text types refuse outright ("invalid byte sequence for encoding UTF8: 0x00"),
 * or one longer than its column — is simply not found, so both databases answer it as they
 * answer any unknown value instead of one of them failing with a 500 (issue 12, found 2 and 3).
 */
export function cannotBeStored(value: string, maxLength: number): boolean {
  return value.length > maxLength || value.includes('\u0000');
}

/**
 * A uuid v4: `crypto.randomUUID` where it exists (secure contexts), else from `getRandomValues`
 * (every browser has it, insecure contexts included).
 */
export function uuid(): string {
  try {
    return crypto.randomUUID();
  } catch {
    return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
      (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
    );
  }
}

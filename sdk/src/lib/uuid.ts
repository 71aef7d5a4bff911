/**
 * A uuid v4: `crypto.randomUUID` where it exists (secure contexts), else the one every browser puts
 * at the end of a blob URL (URL spec: `blob:<origin>/<uuid v4>`), insecure contexts included — a
 * third of the bytes of building one from `getRandomValues`. The URL is revoked at once: it names
 * an empty blob nobody fetches.
 */
export function uuid(): string {
  try {
    return crypto.randomUUID();
  } catch {
    const blob = URL.createObjectURL(new Blob());
    URL.revokeObjectURL(blob);
    return blob.slice(-36);
  }
}

/**
 * RFC 4180 CSV of plain rows, as a spreadsheet opens it right: UTF-8 with a byte-order mark (without
 * it Excel reads Japanese text as Shift_JIS), CRLF lines, and the header row even when there is no
 * row. Cells that a spreadsheet would run as a formula (= + - @, tab, CR) are prefixed with `'`:
 * page titles and queries come from browsers and are hostile [OWASP CSV injection].
 */
export const BOM = '\uFEFF';

/** The CSV of rows under a header of `columns`, each row's cells in that order. */
export function toCsv(columns: readonly string[], rows: readonly object[]): string {
  const lines = [columns, ...rows.map((row) => columns.map((c) => (row as Record<string, unknown>)[c]))];
  return BOM + lines.map((cells) => cells.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A `Content-Disposition` that downloads as `filename`, whatever its characters (RFC 6266): an
 * ASCII fallback (`"`, `\` and every character outside printable ASCII as `_`) for old clients, and
 * the name itself as RFC 5987 `filename*=UTF-8''…`. A header value is bytes: a non-ASCII name put
 * there as is throws, which was a 500.
 */
export function attachment(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/gu, '_');
  // encodeURIComponent leaves ' ( ) * unescaped, which RFC 5987's attr-char does not allow
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * RFC 4180 CSV of plain rows. Cells that a spreadsheet would run as a formula (= + - @, tab, CR)
 * are prefixed with `'`: page titles and queries come from browsers and are hostile [OWASP CSV injection].
 */
export function toCsv(rows: readonly object[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const lines = [columns, ...rows.map((row) => columns.map((c) => (row as Record<string, unknown>)[c]))].map((cells) => cells.map(cell).join(','));
  return lines.join('\r\n') + '\r\n';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One CSV cell for files officers open in a spreadsheet: always quoted, and a leading formula character
 * (= + - @, or a tab or carriage return) defused with an apostrophe, so a name or a reason typed as
 * `=HYPERLINK(…)` is shown, never executed (CSV/formula injection).
 */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  return `"${(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
}

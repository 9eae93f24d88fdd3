/** The failed rows of an invite job as a CSV file, safe to open in a spreadsheet. */

/** The columns of the download, in order. */
export const FAILED_CSV_HEADER = ["row", "email", "reason", "message", "notices"] as const;

interface FailedRow {
  row: number;
  email: string;
  reason: string | null;
  message: string | null;
  notices: string[];
}

/**
 * A cell as RFC 4180 wants it, and inert in a spreadsheet: the addresses come from an uploaded
 * file, so a cell that a spreadsheet would run as a formula (starting with = + - @, or a tab or
 * carriage return that some strip first) gets a leading apostrophe (OWASP's CSV injection advice).
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The whole file: a header row, then one line per row, CRLF line ends. It starts with a byte
 * order mark so that spreadsheet programs read the names' accents and umlauts as UTF-8.
 */
export function failedRowsCsv(rows: readonly FailedRow[]): string {
  const lines = [FAILED_CSV_HEADER.join(",")];
  for (const r of rows)
    lines.push(
      [r.row, r.email, r.reason ?? "", r.message ?? "", r.notices.join("; ")].map(csvCell).join(","),
    );
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

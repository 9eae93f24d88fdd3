/** The columns an invite file may have; `email` is required. */
export const INVITE_COLUMNS = ["email", "name", "given_name", "family_name", "locale", "username"] as const;
export type InviteColumn = (typeof INVITE_COLUMNS)[number];

/** One person of an invite file, as read: every field a string as given, plus what was wrong with the line. */
export interface InviteRow {
  email: string;
  name?: string | undefined;
  given_name?: string | undefined;
  family_name?: string | undefined;
  locale?: string | undefined;
  username?: string | undefined;
  /** Why the line cannot be used as it is (e.g. not JSON); the row fails with it. */
  problem?: string | undefined;
}

/** The longest value a field may have; longer ones make the row fail rather than fill the database. */
export const MAX_FIELD = 320;

/** The key that finds an address twice in one file: trimmed and lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Checks a CSV header: every column known, none twice, `email` present. Answers the problems
 * (empty when the header is good).
 */
export function headerProblems(header: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const raw of header) {
    const name = raw.trim();
    if (!(INVITE_COLUMNS as readonly string[]).includes(name))
      problems.push(`unknown column "${name.slice(0, 40)}" (known: ${INVITE_COLUMNS.join(", ")})`);
    else if (seen.has(name)) problems.push(`column "${name}" appears twice`);
    seen.add(name);
  }
  if (!seen.has("email")) problems.push('the header has no "email" column');
  return problems;
}

/** A CSV record under its (checked) header. */
export function rowFromCsv(header: readonly string[], record: readonly string[]): InviteRow {
  const row: InviteRow = { email: "" };
  header.forEach((column, i) => {
    const value = record[i];
    if (value !== undefined && value !== "") row[column.trim() as InviteColumn] = value;
  });
  if (record.length !== header.length)
    row.problem = `has ${record.length} fields; the header has ${header.length}`;
  return withLengthProblem(row);
}

/** A JSON line: an object with the known fields as strings. */
export function rowFromJsonLine(line: string): InviteRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { email: "", problem: "is not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { email: "", problem: "is not a JSON object" };
  const row: InviteRow = { email: "" };
  for (const [k, v] of Object.entries(value)) {
    if (!(INVITE_COLUMNS as readonly string[]).includes(k)) {
      row.problem = `unknown field "${k.slice(0, 40)}"`;
      continue;
    }
    if (v === null || v === undefined) continue;
    if (typeof v !== "string") {
      row.problem = `field "${k}" must be a string`;
      continue;
    }
    row[k as InviteColumn] = v;
  }
  return withLengthProblem(row);
}

function withLengthProblem(row: InviteRow): InviteRow {
  if (row.problem) return row;
  for (const column of INVITE_COLUMNS) {
    const v = row[column];
    if (v !== undefined && v.length > MAX_FIELD) {
      row[column] = v.slice(0, MAX_FIELD);
      row.problem = `field "${column}" is longer than ${MAX_FIELD} characters`;
    }
  }
  return row;
}

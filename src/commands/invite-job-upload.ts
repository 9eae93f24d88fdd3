import { isUtf8 } from "node:buffer";
import { pipeline, Readable } from "node:stream";
import { parse } from "csv-parse";
import type { Caller } from "../authz/caller.ts";
import { uuidv7 } from "../domain/ids.ts";
import { headerProblems, type InviteRow, rowFromCsv, rowFromJsonLine } from "../domain/invite-row.ts";
import { checkUrlTemplate } from "../domain/url-template.ts";
import { firstInvalidUtf8, incompleteTail } from "../domain/utf8.ts";
import { type InviteJob, inviteJobQueries, type JobSettings } from "../queries/invite-jobs.ts";
import type { CommandDeps } from "./deps.ts";

/** Rows stored per statement while a file is read. */
const INSERT_BATCH = 1000;

/** Why an uploaded file cannot be read at all (its header, or broken CSV quoting). */
export class UnreadableFile extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
    this.name = "UnreadableFile";
  }
}

/**
 * The file is not UTF-8: the upload is refused whole (nothing is kept), naming where the first
 * malformed byte is — a file saved in another encoding is a mistake of the whole file, and
 * applying only its rows that happen to be ASCII would create half a team.
 */
export class InvalidEncoding extends Error {
  constructor(
    /** The line (1-based, counting every line of the file) and the file's byte offset of the first malformed byte. */
    readonly line: number,
    readonly byteOffset: number,
  ) {
    super(`the file is not valid UTF-8: line ${line}, byte ${byteOffset}`);
    this.name = "InvalidEncoding";
  }
}

/**
 * `POST /v1/invite-jobs`: stores an uploaded file of people as a job's rows and queues the job
 * for the workers (`jobs/invite-job-worker.ts`). The body is read as a stream — parsed and
 * stored a thousand rows at a time, so a file of millions of rows never sits in memory — and
 * no row is claimed before the whole file is stored: a file refused half-way (too large,
 * broken quoting, the client gone) leaves no job behind. Rows are only stored here, never
 * judged: every rule runs when a row is applied.
 */
export async function startInviteJob(
  deps: CommandDeps,
  caller: Caller,
  orgId: string,
  settings: JobSettings,
  body: AsyncIterable<Buffer>,
): Promise<InviteJob> {
  deps.authz.require(caller, "user.write", { orgId }, "AUTH-AWfge");
  if (settings.urlTemplate) checkUrlTemplate(settings.urlTemplate);
  const jobs = inviteJobQueries(deps.db);
  const id = uuidv7();
  await jobs.insert({
    orgId,
    id,
    createdBy: caller.userId,
    tokenId: caller.tokenId,
    at: deps.now(),
    ...settings,
  });
  try {
    let stored = 0;
    let pending: InviteRow[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      await jobs.insertRows(orgId, id, stored + 1, pending);
      stored += pending.length;
      pending = [];
    };
    for await (const row of settings.format === "csv" ? csvRows(body) : jsonLines(body)) {
      pending.push(row);
      if (pending.length >= INSERT_BATCH) await flush();
    }
    await flush();
    const job = await jobs.markQueued(orgId, id, stored, deps.now());
    if (!job) throw new Error(`invite job ${id} vanished during its upload`);
    return job;
  } catch (e) {
    await jobs.remove(orgId, id).catch(() => {});
    throw e;
  }
}

/** The rows of a CSV file under its header row. */
async function* csvRows(body: AsyncIterable<Buffer>): AsyncGenerator<InviteRow> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: 64 * 1024,
  });
  // pipeline, not pipe: a failing body (too large, not UTF-8, the client gone) must end the parser with its error.
  pipeline(Readable.from(utf8Text(body)), parser, () => {});
  let header: string[] | undefined;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = record;
        const problems = headerProblems(header);
        if (problems.length > 0) throw new UnreadableFile(`header: ${problems.join("; ")}`, problems);
        continue;
      }
      yield rowFromCsv(header, record);
    }
  } catch (e) {
    if (e instanceof UnreadableFile) throw e;
    const code = (e as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("CSV_"))
      throw new UnreadableFile(`not readable as CSV: ${(e as Error).message}`);
    throw e;
  }
  if (!header) throw new UnreadableFile('the file is empty: a header row with an "email" column is required');
}

/** The rows of a JSON lines file: one object per line; blank lines are passed over. */
async function* jsonLines(body: AsyncIterable<Buffer>): AsyncGenerator<InviteRow> {
  let rest = "";
  for await (const text of utf8Text(body)) {
    const lines = (rest + text).split("\n");
    rest = lines.pop() ?? "";
    if (rest.length > 64 * 1024) throw new UnreadableFile("a line is longer than 64 KiB");
    for (const line of lines) if (line.trim()) yield rowFromJsonLine(line);
  }
  if (rest.trim()) yield rowFromJsonLine(rest);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A byte stream as UTF-8 text, chunk by chunk (a character split between chunks is joined),
 * without a leading byte order mark. Malformed UTF-8 throws `InvalidEncoding` with its line
 * and offset: nothing is ever replaced by U+FFFD, so no row is read other than as written.
 */
async function* utf8Text(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  let line = 1;
  let first = true;
  for await (const chunk of body) {
    let bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    if (first && bytes.length >= 3 && bytes.subarray(0, 3).equals(BOM)) {
      bytes = bytes.subarray(3);
      offset = 3;
    }
    const whole = bytes.length - incompleteTail(bytes);
    const text = bytes.subarray(0, whole);
    if (!isUtf8(text)) {
      const at = firstInvalidUtf8(text);
      throw new InvalidEncoding(line + countLines(text.subarray(0, at)), offset + at);
    }
    carry = Buffer.from(bytes.subarray(whole));
    line += countLines(text);
    offset += whole;
    if (whole > 0) {
      first = false;
      yield text.toString("utf8");
    }
  }
  if (carry.length > 0) throw new InvalidEncoding(line, offset);
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
}

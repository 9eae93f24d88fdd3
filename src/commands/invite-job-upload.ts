import { pipeline, Readable } from "node:stream";
import { parse } from "csv-parse";
import type { Caller } from "../authz/caller.ts";
import { uuidv7 } from "../domain/ids.ts";
import { headerProblems, type InviteRow, rowFromCsv, rowFromJsonLine } from "../domain/invite-row.ts";
import { checkUrlTemplate } from "../domain/url-template.ts";
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
  // pipeline, not pipe: a failing body (too large, the client gone) must end the parser with its error.
  pipeline(Readable.from(body), parser, () => {});
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
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let rest = "";
  try {
    for await (const chunk of body) {
      const text = rest + decoder.decode(chunk, { stream: true });
      const lines = text.split("\n");
      rest = lines.pop() ?? "";
      if (rest.length > 64 * 1024) throw new UnreadableFile("a line is longer than 64 KiB");
      for (const line of lines) if (line.trim()) yield rowFromJsonLine(line);
    }
    rest += decoder.decode();
  } catch (e) {
    if (e instanceof TypeError) throw new UnreadableFile("the file is not valid UTF-8");
    throw e;
  }
  if (rest.trim()) yield rowFromJsonLine(rest);
}

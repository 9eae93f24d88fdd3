/** Calls of the tenant API's invite jobs, for tests. */
export interface JobClient {
  baseUrl: string;
  token: string;
  tenantId: string;
}

export async function uploadJob(
  c: JobClient,
  body: string | Buffer | ReadableStream<Uint8Array>,
  options: { query?: Record<string, string>; contentType?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const qs = new URLSearchParams(options.query ?? {}).toString();
  const res = await fetch(`${c.baseUrl}/v1/invite-jobs${qs ? `?${qs}` : ""}`, {
    method: "POST",
    headers: {
      "x-api-key": c.token,
      "x-tenant-id": c.tenantId,
      "content-type": options.contentType ?? "text/csv",
      ...options.headers,
    },
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function jobCall(c: JobClient, method: string, path: string) {
  const res = await fetch(`${c.baseUrl}${path}`, {
    method,
    headers: { "x-api-key": c.token, "x-tenant-id": c.tenantId },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface JobBody {
  id: string;
  status: string;
  totals: Record<string, number>;
  rows_per_second: number | null;
  eta_seconds: number | null;
  error: string | null;
}

/** Polls a job until it is no longer queued or running. */
export async function finished(
  c: JobClient,
  id: string,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<JobBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await jobCall(c, "GET", `/v1/invite-jobs/${id}`);
    const job = r.body as unknown as JobBody;
    if (r.status !== 200 && r.status < 500) throw new Error(`GET job: ${r.status} ${JSON.stringify(r.body)}`);
    if (!["receiving", "queued", "running"].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} not finished: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Every row of a job of one status, following the cursor. */
export async function allRows(c: JobClient, id: string, status: string) {
  const out: Array<Record<string, unknown>> = [];
  let cursor: string | null = null;
  do {
    const r = await jobCall(
      c,
      "GET",
      `/v1/invite-jobs/${id}/rows?status=${status}&limit=1000${cursor ? `&cursor=${cursor}` : ""}`,
    );
    if (r.status !== 200) throw new Error(`rows: ${r.status} ${JSON.stringify(r.body)}`);
    out.push(...(r.body.data as Array<Record<string, unknown>>));
    cursor = r.body.next_cursor as string | null;
  } while (cursor);
  return out;
}

import { Type } from "@sinclair/typebox";

/** Shapes of `/v1/invite-jobs`: they validate the options, and make up the OpenAPI document. */
const Nullable = <T extends import("@sinclair/typebox").TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Timestamp = Type.String({ format: "date-time" });
const Bool = Type.Boolean();

export const InviteJobOptions = Type.Object(
  {
    send_invite: Type.Optional(
      Type.Boolean({
        default: true,
        description: "Queue an invite mail for every user created (default true).",
      }),
    ),
    application_name: Type.Optional(
      Type.String({ maxLength: 200, description: "The application named in the invite mails." }),
    ),
    url_template: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          "Where the invite link points, with {{.UserID}}, {{.Code}}, {{.OrgID}} … placeholders; default: Usher's hosted page.",
      }),
    ),
    on_existing: Type.Optional(
      Type.Union([Type.Literal("skip"), Type.Literal("resend"), Type.Literal("fail")], {
        default: "skip",
        description:
          "A row whose address a user of the tenant already has: skip it (status skipped), resend that user's invite (status invited), or fail the row (default skip).",
      }),
    ),
    dry_run: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "Check every row as a run would (the same rules, applied and rolled back) and create nothing; rows that would be applied are valid.",
      }),
    ),
  },
  { additionalProperties: false },
);

export const JobStatus = Type.Union(
  ["receiving", "queued", "running", "done", "cancelled", "failed"].map((s) => Type.Literal(s)),
  {
    description:
      "receiving: the file is being stored; queued: waiting for a worker; running; done: every row processed; cancelled; failed: stopped, see error.",
  },
);

export const InviteJob = Type.Object(
  {
    id: Type.String(),
    status: JobStatus,
    dry_run: Bool,
    format: Type.Union([Type.Literal("csv"), Type.Literal("jsonl")]),
    options: Type.Object({
      send_invite: Bool,
      application_name: Type.String(),
      url_template: Type.String(),
      on_existing: Type.Union([Type.Literal("skip"), Type.Literal("resend"), Type.Literal("fail")]),
    }),
    totals: Type.Object(
      {
        read: Type.Integer({ description: "Rows read from the file." }),
        processed: Type.Integer({ description: "Rows applied so far, whatever their outcome." }),
        created: Type.Integer({ description: "Users created." }),
        invited: Type.Integer({ description: "Invites queued (created users' and resent ones)." }),
        mailed: Nullable(
          Type.Integer({
            description:
              "Of those invites, delivered to the mail provider (message sent). Counted for one job (GET /v1/invite-jobs/{id}); null in the list.",
          }),
        ),
        skipped: Type.Integer(),
        failed: Type.Integer({ description: "Rows refused; GET …/rows?status=failed says why." }),
        valid: Type.Integer({ description: "Dry run: rows that a run would apply." }),
      },
      { additionalProperties: false },
    ),
    rows_per_second: Nullable(
      Type.Number({ description: "Rows processed per second since the job started." }),
    ),
    eta_seconds: Nullable(Type.Integer({ description: "Estimated seconds until every row is processed." })),
    error: Nullable(Type.String({ description: "Why a failed job stopped, e.g. credential_revoked." })),
    created_at: Timestamp,
    started_at: Nullable(Timestamp),
    finished_at: Nullable(Timestamp),
    rows_kept_until: Nullable(
      Type.String({
        format: "date-time",
        description:
          "When the finished job's rows (GET …/rows) are deleted (USHER_INVITE_JOB_RETENTION after it finished); the job and its totals stay.",
      }),
    ),
  },
  { $id: "InviteJob" },
);

export const RowStatus = Type.Union(
  ["pending", "created", "invited", "skipped", "failed", "valid"].map((s) => Type.Literal(s)),
);

export const InviteJobRow = Type.Object(
  {
    row: Type.Integer({ description: "Position in the file, 1 for the first row after a CSV header." }),
    email: Type.String(),
    status: RowStatus,
    reason: Nullable(
      Type.String({
        description:
          "Why a row failed or was skipped: invalid_row (unreadable line, unknown field), invalid_email, duplicate (the address is in an earlier row), exists (a user has the address), forbidden (a policy denied it; see notices), conflict (the username is taken), rate_limited (the recipient's hourly cap), already_verified, validation_error, internal.",
      }),
    ),
    message: Nullable(Type.String()),
    notices: Type.Array(Type.String(), { description: "Notices of the policies that denied the row." }),
    user_id: Nullable(Type.String()),
  },
  { $id: "InviteJobRow" },
);

export const InviteJobRowPage = Type.Object(
  { data: Type.Array(Type.Ref("InviteJobRow")), next_cursor: Nullable(Type.String()), has_more: Bool },
  { $id: "InviteJobRowPage" },
);

export const InviteJobRowsQuery = Type.Object(
  {
    status: Type.Optional(RowStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const InviteJobPage = Type.Object(
  { data: Type.Array(Type.Ref("InviteJob")), next_cursor: Nullable(Type.String()), has_more: Bool },
  { $id: "InviteJobPage" },
);

export const InviteJobListQuery = Type.Object(
  {
    status: Type.Optional(JobStatus),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

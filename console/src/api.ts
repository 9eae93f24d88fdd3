/** The console's calls to Usher's public APIs: the tenant API and ZITADEL's Connect JSON. */

export interface Session {
  userId: string;
  orgId: string;
  displayName: string;
  email: string;
  instanceRoles: string[];
  orgRoles: Record<string, string[]>;
  csrfToken: string;
}

/** An API's refusal: its HTTP status, stable code, message and Retry-After (seconds). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

let csrf = "";
let tenant = "";

/** Remembers the session's anti-CSRF token (in memory only) and the organization in use. */
export function setApiSession(s: Session | null, orgId?: string): void {
  csrf = s?.csrfToken ?? "";
  tenant = orgId ?? s?.orgId ?? "";
}

export function currentOrg(): string {
  return tenant;
}

async function call<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (csrf) headers.set("x-usher-csrf", csrf);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const res = await fetch(path, {
    ...init,
    headers,
    credentials: "same-origin",
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    const retry = res.headers.get("retry-after");
    throw new ApiError(
      res.status,
      String(body.code ?? res.status),
      String(body.message ?? res.statusText),
      retry ? Number(retry) : undefined,
    );
  }
  return body as T;
}

export const session = {
  get: () => call<Session>("/ui/console/api/session"),
  signIn: (loginName: string, password: string) =>
    call<{ csrfToken: string }>("/ui/console/api/session", { method: "POST", json: { loginName, password } }),
  signOut: () => call<void>("/ui/console/api/session", { method: "DELETE" }),
};

/** The tenant API (`/v1`), in the organization in use. */
export function tenantApi<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("x-tenant-id", tenant);
  return call<T>(`/v1${path}`, { ...init, headers });
}

/** A ZITADEL method over Connect JSON (`POST /<service>/<Method>`), in the organization in use. */
export function zitadel<T>(service: string, method: string, request: unknown): Promise<T> {
  return call<T>(`/${service}/${method}`, {
    method: "POST",
    json: request,
    headers: { "x-zitadel-orgid": tenant, "connect-protocol-version": "1" },
  });
}

export interface Invite {
  expires_at: string | null;
  last_sent_at: string | null;
  send_count: number;
  delivery: string | null;
  last_error: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  locale: string;
  email_verified: boolean;
  active: boolean;
  status: "invited" | "active" | "disabled" | "locked";
  invite: Invite | null;
  waiting_for: "invite" | "initialization" | "email_verification" | null;
  waiting_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface Message {
  id: string;
  type: string;
  recipient: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  has_more: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  roles: string[];
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  raw_key?: string;
}

export interface UserEvent {
  sequence: number;
  type: string;
  created_at: string;
}

export interface Delivery {
  id: string;
  user_id: string;
  type: string;
  recipient: string;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface Deliveries extends Page<Delivery> {
  counts: Record<string, number>;
}

export interface Preview {
  subject: string;
  text: string;
  html: string;
  language: string;
}

import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { test } from "node:test";
import { clearSessionCookie, cookieName, sessionCookie, setSessionCookie } from "./cookie.ts";

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const EXTERNAL = "https://usher.example";

test("the session cookie: its name, attributes and parsing", () => {
  assert.equal(cookieName("http://localhost:8080"), "usher_console");
  assert.equal(cookieName(EXTERNAL), "__Host-usher_console");
  assert.equal(
    setSessionCookie(EXTERNAL, "tok", 60),
    "__Host-usher_console=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=60; Secure",
  );
  assert.equal(
    setSessionCookie("http://localhost:8080", "tok", 60),
    "usher_console=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=60",
  );
  assert.match(clearSessionCookie(EXTERNAL), /^__Host-usher_console=; .*Max-Age=0; Secure$/);
  const http = "http://localhost:8080";
  assert.equal(sessionCookie(req({ cookie: "a=1; usher_console=abc; b=2" }), http), "abc");
  assert.equal(sessionCookie(req({ cookie: "usher_console_x=abc" }), http), undefined);
  assert.equal(sessionCookie(req({ cookie: "usher_console=" }), http), undefined);
  assert.equal(
    sessionCookie(req({ cookie: "usher_console=abc" }), EXTERNAL),
    undefined,
    "https wants __Host-",
  );
  assert.equal(sessionCookie(req({}), http), undefined);
});

import type { CommandDeps } from "../../commands/deps.ts";
import { checkInitCode } from "../../commands/init-code-check.ts";
import type { PreparedPassword } from "../../commands/password-change.ts";
import { setPasswordWithCode } from "../../commands/password-code-check.ts";
import { acceptCode } from "../../commands/tenant-onboarding.ts";
import type { FlowName } from "./texts/types.ts";

/** One hosted page: where it lives, what it asks for, and the command its form calls. */
export interface Flow {
  name: FlowName;
  /** ZITADEL's login v1 default link path (spec §8.3). */
  path: string;
  /** Whether the form sets the first password too. */
  setsPassword: boolean;
  /**
   * Checks the code (and stores the password) in one transaction. `false` for a wrong, expired
   * or used code and for an unknown user alike; failed checks are recorded by the command.
   */
  submit(
    deps: CommandDeps,
    orgId: string,
    userId: string,
    code: string,
    password: PreparedPassword | undefined,
  ): Promise<boolean>;
}

/** The pages ZITADEL's mails link to, by path. */
export const FLOWS: readonly Flow[] = [
  {
    name: "init",
    path: "/ui/login/user/init",
    setsPassword: true,
    submit: (deps, orgId, userId, code, password) =>
      password
        ? deps.db.transaction((tx) => checkInitCode(tx, deps, orgId, userId, code, password))
        : Promise.resolve(false),
  },
  {
    name: "invite",
    path: "/ui/login/user/invite",
    setsPassword: true,
    // acceptCode checks the invite code (else an email code) and sets the password atomically.
    submit: (deps, orgId, userId, code, password) =>
      deps.db.transaction((tx) => acceptCode(tx, deps, orgId, userId, code, password)),
  },
  {
    name: "email",
    path: "/ui/login/mail/verification",
    setsPassword: false,
    submit: (deps, orgId, userId, code) =>
      deps.db.transaction((tx) => acceptCode(tx, deps, orgId, userId, code, undefined)),
  },
  {
    name: "password",
    path: "/ui/login/password/init",
    setsPassword: true,
    submit: (deps, orgId, userId, code, password) =>
      password
        ? deps.db.transaction((tx) => setPasswordWithCode(tx, deps, orgId, userId, code, password))
        : Promise.resolve(false),
  },
];

/** The flow served at a path, if any. */
export function flowAt(path: string): Flow | undefined {
  return FLOWS.find((f) => f.path === path);
}

/** The flow with this name (for the pages after a redirect). */
export function flowNamed(name: string | null): Flow | undefined {
  return FLOWS.find((f) => f.name === name);
}

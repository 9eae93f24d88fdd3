import { UserState } from "./user.ts";

/** The v2 state endpoints: DeactivateUser, ReactivateUser, LockUser, UnlockUser. */
export type StateChange = "deactivate" | "reactivate" | "lock" | "unlock";

/** Why a change is refused: ZITADEL's error id and i18n key (FAILED_PRECONDITION). */
export interface Refusal {
  id: string;
  key: string;
}

interface Rule {
  /** NOT_FOUND id when the user does not exist (spec §6.12). */
  notFoundId: string;
  /** The state the user ends in. */
  to: UserState;
  /** The event that records the change. */
  event: string;
  /** The refusal for the current state, or undefined when the change is allowed. */
  refuse(state: UserState): Refusal | undefined;
}

/**
 * ZITADEL's state machine (spec §4.3, ids from §6.12): deactivate ACTIVE or LOCKED users
 * (never INITIAL); reactivate INACTIVE ones; lock ACTIVE or INITIAL ones; unlock LOCKED ones,
 * which become ACTIVE even if they were INITIAL before.
 */
export const STATE_CHANGES: Readonly<Record<StateChange, Rule>> = {
  deactivate: {
    notFoundId: "COMMAND-5gp2p62iin",
    to: UserState.Inactive,
    event: "user.deactivated",
    refuse(state) {
      if (state === UserState.Initial)
        return { id: "COMMAND-gvx4kct9r2", key: "Errors.User.CantDeactivateInitial" };
      if (state === UserState.Inactive)
        return { id: "COMMAND-5gunjw0cd7", key: "Errors.User.AlreadyInactive" };
      return undefined;
    },
  },
  reactivate: {
    notFoundId: "COMMAND-9hy5kzbuk6",
    to: UserState.Active,
    event: "user.reactivated",
    refuse: (state) =>
      state === UserState.Inactive ? undefined : { id: "COMMAND-s5qqcz97hf", key: "Errors.User.NotInactive" },
  },
  lock: {
    notFoundId: "COMMAND-450yxuqrh1",
    to: UserState.Locked,
    event: "user.locked",
    refuse: (state) =>
      state === UserState.Active || state === UserState.Initial
        ? undefined
        : { id: "COMMAND-lgws8wtsqf", key: "Errors.User.ShouldBeActiveOrInitial" },
  },
  unlock: {
    notFoundId: "COMMAND-x377t913pw",
    to: UserState.Active,
    event: "user.unlocked",
    refuse: (state) =>
      state === UserState.Locked ? undefined : { id: "COMMAND-olb9vb0oca", key: "Errors.User.NotLocked" },
  },
};

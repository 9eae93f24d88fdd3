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

/** A v1 refusal: v1 answers deactivating an INITIAL user with NOT_FOUND, not FAILED_PRECONDITION. */
export interface V1Refusal extends Refusal {
  notFound: boolean;
}

interface V1Rule {
  /** NOT_FOUND id when the user does not exist in the context organization (spec §5.8). */
  notFoundId: string;
  /** The v1 refusal for the current state (the same rule as v2, with v1's ids). */
  refuse(state: UserState): V1Refusal | undefined;
}

/** The v1 id for the one refusal a change has; deactivate has two (INITIAL, INACTIVE). */
const v1Rule = (change: StateChange, notFoundId: string, refusalId: string): V1Rule => ({
  notFoundId,
  refuse(state) {
    const refusal = STATE_CHANGES[change].refuse(state);
    if (!refusal) return undefined;
    if (refusal.key === "Errors.User.CantDeactivateInitial")
      return { id: "COMMAND-ke0fw", key: refusal.key, notFound: true };
    return { id: refusalId, key: refusal.key, notFound: false };
  },
});

/**
 * The same state machine as the v1 ManagementService reports it (spec §5.8): DeactivateUser,
 * ReactivateUser, LockUser and UnlockUser with ZITADEL's older command ids.
 */
export const V1_STATE_CHANGES: Readonly<Record<StateChange, V1Rule>> = {
  deactivate: v1Rule("deactivate", "COMMAND-3M9ds", "COMMAND-5M0sf"),
  reactivate: v1Rule("reactivate", "COMMAND-4M0sd", "COMMAND-6M0sf"),
  lock: v1Rule("lock", "COMMAND-5M9fs", "COMMAND-3NN8v"),
  unlock: v1Rule("unlock", "COMMAND-M0dos", "COMMAND-4M0ds"),
};

import { invalidArgument } from "../errors/usher-error.ts";
import type { User } from "./user.ts";

/** A profile as UpdateHumanUser sends it; optional fields left out stay as they are. */
export interface ProfileUpdate {
  givenName: string;
  familyName: string;
  nickName?: string | undefined;
  displayName?: string | undefined;
  preferredLanguage?: string | undefined;
  gender?: number | undefined;
}

/** The profile columns that change and the `user.human.profile.changed` event, if any. */
export interface ProfileChange {
  patch: {
    givenName?: string;
    familyName?: string;
    nickName?: string;
    displayName?: string;
    preferredLanguage?: string;
    gender?: number;
  };
  event: { type: string; payload: Record<string, unknown> } | undefined;
}

const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** A language tag as ZITADEL keeps it: unparsable input becomes "und". */
export function languageTag(input: string): string {
  return LANGUAGE.test(input) ? input : "und";
}

/**
 * Compares a sent profile with the user's: names are trimmed and must not end up empty
 * (`USER-UCej2`, `USER-4hB7d`); only differing fields go into the patch and the event, with
 * ZITADEL's payload names (`firstName`, `lastName`, …).
 */
export function profileChange(user: User, input: ProfileUpdate): ProfileChange {
  const givenName = input.givenName.trim();
  const familyName = input.familyName.trim();
  if (!givenName) throw invalidArgument("USER-UCej2", "Errors.User.Profile.FirstNameEmpty");
  if (!familyName) throw invalidArgument("USER-4hB7d", "Errors.User.Profile.LastNameEmpty");
  const patch: ProfileChange["patch"] = {};
  const payload: Record<string, unknown> = {};
  const set = <K extends keyof ProfileChange["patch"]>(
    key: K,
    name: string,
    value: ProfileChange["patch"][K] | undefined,
    current: ProfileChange["patch"][K],
  ) => {
    if (value === undefined || value === current) return;
    patch[key] = value;
    payload[name] = value;
  };
  set("givenName", "firstName", givenName, user.givenName);
  set("familyName", "lastName", familyName, user.familyName);
  set("nickName", "nickName", input.nickName, user.nickName);
  set("displayName", "displayName", input.displayName?.trim(), user.displayName);
  const language = input.preferredLanguage === undefined ? undefined : languageTag(input.preferredLanguage);
  set("preferredLanguage", "preferredLanguage", language, user.preferredLanguage);
  set("gender", "gender", input.gender, user.gender);
  const changed = Object.keys(payload).length > 0;
  return { patch, event: changed ? { type: "user.human.profile.changed", payload } : undefined };
}

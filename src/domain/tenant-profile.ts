/** What the tenant API is given of a person's name (`POST /v1/users`, a row of an invite job). */
export interface TenantNameInput {
  email: string;
  name?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
}

/** The names a tenant user is created with. */
export interface TenantNames {
  displayName: string;
  givenName: string;
  familyName: string;
}

/**
 * The tenant API's name defaults: the display name is the name given, else given and family
 * name, else the address's local part; given and family name are taken from the display name
 * unless given (a one-word name is both).
 */
export function tenantNames(input: TenantNameInput): TenantNames {
  const displayName =
    input.name?.trim() ||
    [input.givenName?.trim(), input.familyName?.trim()].filter(Boolean).join(" ") ||
    input.email.split("@")[0] ||
    input.email;
  const [given, ...rest] = displayName.split(/\s+/);
  const givenName = input.givenName?.trim() || given || input.email;
  const familyName = input.familyName?.trim() || rest.join(" ") || givenName;
  return { displayName, givenName, familyName };
}

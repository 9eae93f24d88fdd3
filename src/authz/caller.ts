/** Who is calling: the authenticated user behind a token, with its role memberships. */
export interface Caller {
  readonly userId: string;
  /** The organization the calling user belongs to. */
  readonly orgId: string;
  readonly tokenId: string;
  /** Roles on the instance (`IAM_*`). */
  readonly instanceRoles: readonly string[];
  /** Roles per organization id (`ORG_*`). */
  readonly orgRoles: ReadonlyMap<string, readonly string[]>;
}

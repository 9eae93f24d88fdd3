import { timestampDate } from "@bufbuild/protobuf/wkt";
import type {
  AddMachineUserRequest,
  AddOrgMemberRequest,
  AddPersonalAccessTokenRequest,
  ListOrgMembersRequest,
  ListPersonalAccessTokensRequest,
  RemoveOrgMemberRequest,
  RemovePersonalAccessTokenRequest,
  UpdateOrgMemberRequest,
} from "@zitadel/proto/zitadel/management_pb.js";
import type { SearchQuery } from "@zitadel/proto/zitadel/member_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { addMachineUser } from "../../commands/machine-users.ts";
import { addOrgMember, changeOrgMember, removeOrgMember } from "../../commands/org-members.ts";
import {
  addPersonalAccessToken,
  NO_EXPIRY,
  removePersonalAccessToken,
} from "../../commands/personal-access-tokens.ts";
import { invalidArgument } from "../../errors/usher-error.ts";
import { type MemberFilter, memberListQueries } from "../../queries/members-list.ts";
import { pageOf } from "../../queries/search.ts";
import { getOrg } from "../../views/orgs.ts";
import { listTokensForCaller } from "../../views/tokens.ts";
import {
  v1AddDetails,
  v1ChangeDetails,
  v1ListDetails,
  v1Member,
  v1Org,
  v1PersonalAccessToken,
} from "./convert-v1.ts";
import type { CallContext, MethodHandler } from "./handler.ts";

const actor = (call: CallContext) => ({ caller: call.caller, orgId: call.orgId });

/**
 * The organization and service-account part of `zitadel.management.v1.ManagementService`. v1
 * calls act in the context organization (`x-zitadel-orgid`, else the caller's own) and treat
 * users of other organizations as not found.
 */
export function managementOrgHandlers(deps: CommandDeps): Record<string, MethodHandler> {
  return {
    async getMyOrg(_req: unknown, call: CallContext) {
      return { org: v1Org(await getOrg(deps.db, call.orgId)) };
    },

    async addMachineUser(req: AddMachineUserRequest, call: CallContext) {
      const result = await deps.db.transaction((tx) =>
        addMachineUser(tx, deps, actor(call), {
          orgId: call.orgId,
          userId: req.userId,
          username: req.userName,
          name: req.name,
          description: req.description,
          accessTokenType: req.accessTokenType,
        }),
      );
      return { userId: result.userId, details: v1ChangeDetails(result.details) };
    },

    async addPersonalAccessToken(req: AddPersonalAccessTokenRequest, call: CallContext) {
      const expiration = req.expirationDate ? timestampDate(req.expirationDate) : undefined;
      const result = await deps.db.transaction((tx) =>
        addPersonalAccessToken(tx, deps, actor(call), req.userId, expiration),
      );
      return { tokenId: result.tokenId, token: result.token, details: v1AddDetails(result.details) };
    },

    async listPersonalAccessTokens(req: ListPersonalAccessTokensRequest, call: CallContext) {
      const page = pageOf(req.query);
      const list = await listTokensForCaller(deps.db, deps.authz, call.caller, call.orgId, req.userId, page);
      return {
        details: v1ListDetails(list.total, deps.now()),
        result: list.tokens.map((t) => v1PersonalAccessToken(t, NO_EXPIRY)),
      };
    },

    async removePersonalAccessToken(req: RemovePersonalAccessTokenRequest, call: CallContext) {
      const details = await deps.db.transaction((tx) =>
        removePersonalAccessToken(tx, deps, actor(call), req.userId, req.tokenId),
      );
      return { details: v1ChangeDetails(details) };
    },

    async listOrgMembers(req: ListOrgMembersRequest, call: CallContext) {
      const list = await memberListQueries(deps.db).search(
        call.orgId,
        req.queries.map(memberFilterOf),
        pageOf(req.query),
      );
      return {
        details: v1ListDetails(list.total, deps.now()),
        result: list.members.map((m) => v1Member(m, call.orgId)),
      };
    },

    async addOrgMember(req: AddOrgMemberRequest, call: CallContext) {
      return {
        details: v1AddDetails(
          await deps.db.transaction((tx) => addOrgMember(tx, deps, actor(call), req.userId, req.roles)),
        ),
      };
    },

    async updateOrgMember(req: UpdateOrgMemberRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) => changeOrgMember(tx, deps, actor(call), req.userId, req.roles)),
        ),
      };
    },

    async removeOrgMember(req: RemoveOrgMemberRequest, call: CallContext) {
      return {
        details: v1ChangeDetails(
          await deps.db.transaction((tx) => removeOrgMember(tx, deps, actor(call), req.userId)),
        ),
      };
    },
  };
}

/** A `zitadel.member.v1.SearchQuery` as a member list filter. */
export function memberFilterOf(query: SearchQuery): MemberFilter {
  const q = query.query;
  switch (q.case) {
    case "firstNameQuery":
      return { kind: "firstName", value: q.value.firstName, method: q.value.method };
    case "lastNameQuery":
      return { kind: "lastName", value: q.value.lastName, method: q.value.method };
    case "emailQuery":
      return { kind: "email", value: q.value.email, method: q.value.method };
    case "userIdQuery":
      return { kind: "userId", userId: q.value.userId };
    default:
      throw invalidArgument("MEMBE-7Bb92", "Errors.Query.InvalidRequest");
  }
}

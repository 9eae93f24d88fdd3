import { TextQueryMethod } from "@zitadel/proto/zitadel/object/v2/object_pb.js";
import type { SearchQuery } from "@zitadel/proto/zitadel/user/v2/query_pb.js";
import { Type, UserFieldName } from "@zitadel/proto/zitadel/user/v2/query_pb.js";
import { UserState as V2State } from "@zitadel/proto/zitadel/user/v2/user_pb.js";
import type { ListUsersRequest } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { listOffset } from "../../domain/list-limits.ts";
import { UserState } from "../../domain/user.ts";
import {
  MAX_FILTER_DEPTH,
  type TextField,
  type TextMethod,
  type UserFilter,
  type UserListRequest,
  type UserSortField,
} from "../../domain/user-filter.ts";
import { invalidArgument } from "../../errors/usher-error.ts";

const METHODS: Readonly<Record<TextQueryMethod, TextMethod>> = {
  [TextQueryMethod.EQUALS]: "equals",
  [TextQueryMethod.EQUALS_IGNORE_CASE]: "equalsIgnoreCase",
  [TextQueryMethod.STARTS_WITH]: "startsWith",
  [TextQueryMethod.STARTS_WITH_IGNORE_CASE]: "startsWithIgnoreCase",
  [TextQueryMethod.CONTAINS]: "contains",
  [TextQueryMethod.CONTAINS_IGNORE_CASE]: "containsIgnoreCase",
  [TextQueryMethod.ENDS_WITH]: "endsWith",
  [TextQueryMethod.ENDS_WITH_IGNORE_CASE]: "endsWithIgnoreCase",
};

const SORTS: Readonly<Partial<Record<UserFieldName, UserSortField>>> = {
  [UserFieldName.USER_NAME]: "username",
  [UserFieldName.FIRST_NAME]: "givenName",
  [UserFieldName.LAST_NAME]: "familyName",
  [UserFieldName.NICK_NAME]: "nickName",
  [UserFieldName.DISPLAY_NAME]: "displayName",
  [UserFieldName.EMAIL]: "email",
  [UserFieldName.STATE]: "state",
  [UserFieldName.TYPE]: "type",
  [UserFieldName.CREATION_DATE]: "createdAt",
};

/** `zitadel.user.v2.UserState` → the internal number (INITIAL is 5 on the wire, 6 inside); others match nobody. */
const STATES: Readonly<Partial<Record<V2State, number>>> = {
  [V2State.ACTIVE]: UserState.Active,
  [V2State.INACTIVE]: UserState.Inactive,
  [V2State.LOCKED]: UserState.Locked,
  [V2State.INITIAL]: UserState.Initial,
};

/** ListUsersRequest as Usher's filter tree, page and sort (spec §6.3). */
export function userListRequest(req: ListUsersRequest): UserListRequest {
  return {
    offset: listOffset(req.query?.offset),
    limit: req.query?.limit ?? 0,
    asc: req.query?.asc ?? false,
    sort: SORTS[req.sortingColumn] ?? "id",
    filters: req.queries.map((q) => filterOf(q, 0)),
  };
}

function filterOf(q: SearchQuery, level: number): UserFilter {
  // ZITADEL refuses more than 20 levels of and/or/not nesting.
  if (level > MAX_FILTER_DEPTH) throw invalidArgument("USER-zsQ97", "Errors.Query.TooManyNestingLevels");
  const text = (field: TextField, value: string, method: TextQueryMethod): UserFilter => ({
    kind: "text",
    field,
    value,
    method: METHODS[method] ?? "equals",
  });
  const v = q.query;
  switch (v.case) {
    case "userNameQuery":
      return text("username", v.value.userName, v.value.method);
    case "firstNameQuery":
      return text("givenName", v.value.firstName, v.value.method);
    case "lastNameQuery":
      return text("familyName", v.value.lastName, v.value.method);
    case "nickNameQuery":
      return text("nickName", v.value.nickName, v.value.method);
    case "displayNameQuery":
      return text("displayName", v.value.displayName, v.value.method);
    case "emailQuery":
      return text("email", v.value.emailAddress, v.value.method);
    case "loginNameQuery":
      return text("loginName", v.value.loginName, v.value.method);
    case "phoneQuery":
      return text("phone", v.value.number, v.value.method);
    case "stateQuery":
      return { kind: "state", state: STATES[v.value.state] ?? -1 };
    case "typeQuery":
      return {
        kind: "type",
        type: v.value.type === Type.HUMAN ? "human" : v.value.type === Type.MACHINE ? "machine" : null,
      };
    case "inUserIdsQuery":
      return { kind: "ids", ids: v.value.userIds };
    case "inUserEmailsQuery":
      return { kind: "emails", emails: v.value.userEmails };
    case "organizationIdQuery":
      return { kind: "org", orgId: v.value.organizationId };
    case "andQuery":
      return { kind: "and", filters: v.value.queries.map((x) => filterOf(x, level + 1)) };
    case "orQuery":
      return { kind: "or", filters: v.value.queries.map((x) => filterOf(x, level + 1)) };
    case "notQuery":
      if (!v.value.query) throw invalidArgument("GRPC-vR9nC", "List.Query.Invalid");
      return { kind: "not", filter: filterOf(v.value.query, level + 1) };
    default:
      throw invalidArgument("GRPC-vR9nC", "List.Query.Invalid");
  }
}

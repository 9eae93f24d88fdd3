import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type AddOrganizationRequest,
  type AddOrganizationRequest_Admin,
  type ListOrganizationsRequest,
  OrganizationService,
} from "@zitadel/proto/zitadel/org/v2/org_service_pb.js";
import type { SearchQuery } from "@zitadel/proto/zitadel/org/v2/query_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { addOrganization, type OrgAdmin } from "../../commands/orgs.ts";
import { invalidArgument, unimplemented } from "../../errors/usher-error.ts";
import type { StoredOrg } from "../../queries/orgs.ts";
import type { OrgFilter } from "../../queries/orgs-list.ts";
import { pageOf } from "../../queries/search.ts";
import { listOrgsForCaller } from "../../views/orgs.ts";
import { v2WriteDetails } from "./convert.ts";
import type { CallContext, ServiceBinding } from "./handler.ts";
import { humanInputOf } from "./human-input.ts";

/** `OrganizationFieldName.ORGANIZATION_FIELD_NAME_NAME`. */
const SORT_BY_NAME = 1;

/** `zitadel.org.v2.OrganizationService`: create organizations and list those the caller may read. */
export function orgServiceV2(deps: CommandDeps): ServiceBinding {
  return {
    service: OrganizationService,
    handlers: {
      async addOrganization(req: AddOrganizationRequest, call: CallContext) {
        const actor = { caller: call.caller, orgId: call.orgId };
        const input = { name: req.name, orgId: req.orgId, admins: req.admins.map(adminOf) };
        const result = await deps.db.transaction((tx) => addOrganization(tx, deps, actor, input));
        return {
          details: v2WriteDetails(result.details),
          organizationId: result.orgId,
          createdAdmins: result.createdAdmins,
        };
      },

      async listOrganizations(req: ListOrganizationsRequest, call: CallContext) {
        const { total, orgs } = await listOrgsForCaller(deps.db, deps.authz, call.caller, {
          filters: req.queries.map(filterOf),
          byName: req.sortingColumn === SORT_BY_NAME,
          page: pageOf(req.query),
        });
        return {
          details: { totalResult: BigInt(total), timestamp: timestampFromDate(deps.now()) },
          sortingColumn: req.sortingColumn,
          result: orgs.map(v2Org),
        };
      },
    },
  };
}

function adminOf(admin: AddOrganizationRequest_Admin): OrgAdmin {
  const t = admin.userType;
  if (t.case === "userId") return { userId: t.value, roles: admin.roles };
  if (t.case === "human") return { human: humanInputOf(t.value), roles: admin.roles };
  throw unimplemented("ORGv2-SD2r1", `userType oneOf ${t.case} in method AddOrganization not implemented`);
}

function filterOf(query: SearchQuery): OrgFilter | { kind: "default" } {
  const q = query.query;
  switch (q.case) {
    case "nameQuery":
      return { kind: "name", value: q.value.name, method: q.value.method };
    case "domainQuery":
      return { kind: "domain", value: q.value.domain, method: q.value.method };
    case "stateQuery":
      return { kind: "state", state: q.value.state };
    case "idQuery":
      return { kind: "id", id: q.value.id };
    case "defaultQuery":
      return { kind: "default" };
    default:
      throw invalidArgument("ORG-vR9nC", "List.Query.Invalid");
  }
}

/** An organization as `zitadel.org.v2.Organization`. */
function v2Org(o: StoredOrg) {
  return {
    id: o.id,
    details: {
      sequence: BigInt(o.sequence),
      changeDate: timestampFromDate(o.updatedAt),
      resourceOwner: o.id,
      creationDate: timestampFromDate(o.createdAt),
    },
    state: o.state,
    name: o.name,
    primaryDomain: o.primaryDomain,
  };
}

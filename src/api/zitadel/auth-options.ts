import { type DescMethod, getOption, hasOption } from "@bufbuild/protobuf";
import { auth_option as v1Auth } from "@zitadel/proto/zitadel/options_pb.js";
import { options as v2Options } from "@zitadel/proto/zitadel/protoc_gen_zitadel/v2/options_pb.js";

/** A method's authorization declared in its proto: the permission and the org field, if any. */
export interface MethodAuth {
  /** `authenticated` (any valid token) or a permission such as `user.write`. */
  permission: string;
  /** Name of the request field that selects the organization (v2 only). */
  orgField: string;
}

const cache = new WeakMap<DescMethod, MethodAuth>();

/**
 * Reads `zitadel.protoc_gen_zitadel.v2.options.auth_option` (v2 services) or
 * `zitadel.v1.auth_option` (v1 services). A method without either requires authentication.
 */
export function methodAuth(method: DescMethod): MethodAuth {
  let found = cache.get(method);
  if (found) return found;
  if (hasOption(method, v2Options)) {
    const o = getOption(method, v2Options).authOption;
    found = { permission: o?.permission || "authenticated", orgField: o?.orgField ?? "" };
  } else if (hasOption(method, v1Auth)) {
    found = { permission: getOption(method, v1Auth).permission || "authenticated", orgField: "" };
  } else {
    found = { permission: "authenticated", orgField: "" };
  }
  cache.set(method, found);
  return found;
}

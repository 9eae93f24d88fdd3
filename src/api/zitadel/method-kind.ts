import { type DescMethod, getOption, hasOption } from "@bufbuild/protobuf";
import { http } from "@zitadel/proto/google/api/annotations_pb.js";

const cache = new WeakMap<DescMethod, boolean>();

/**
 * Whether a method changes state: its REST binding is not a GET (or, without one, its name
 * does not start with Get/List). Only these take an Idempotency-Key.
 */
export function isMutating(method: DescMethod): boolean {
  let mutating = cache.get(method);
  if (mutating === undefined) {
    mutating = hasOption(method, http)
      ? getOption(method, http).pattern.case !== "get"
      : !/^(Get|List)/.test(method.name);
    cache.set(method, mutating);
  }
  return mutating;
}

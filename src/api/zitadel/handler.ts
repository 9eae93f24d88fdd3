import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { Caller } from "../../authz/caller.ts";

/** What a ZITADEL method handler receives besides its request message. */
export interface CallContext {
  readonly caller: Caller;
  /** The context organization (spec §3.1). */
  readonly orgId: string;
  readonly headers: Headers;
}

/** A method implementation: convert, call one command or query, convert back. */
// biome-ignore lint/suspicious/noExplicitAny: request and response types vary per method; the binding pairs them.
export type MethodHandler = (request: any, call: CallContext) => Promise<any>;

/** A ZITADEL service and the methods Usher implements; the rest answer UNIMPLEMENTED. */
export interface ServiceBinding {
  readonly service: DescService;
  /** Prefix of the REST paths in the service's annotations (`/management/v1` for v1). */
  readonly restPrefix?: string;
  readonly handlers: Readonly<Record<string, MethodHandler>>;
}

export function handlerFor(binding: ServiceBinding, method: DescMethod): MethodHandler | undefined {
  return Object.hasOwn(binding.handlers, method.localName) ? binding.handlers[method.localName] : undefined;
}

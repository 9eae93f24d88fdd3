import type { Message } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { AUTHENTICATED } from "./connect-adapter.ts";
import { parseErrorsAsInvalidArgument } from "./connect-parse-errors.ts";
import { asUsherError, toConnectError } from "./errors.ts";
import { handlerFor, type ServiceBinding } from "./handler.ts";
import type { Invoker } from "./invoke.ts";

/**
 * Registers each binding with ConnectRPC, which serves gRPC, gRPC-Web and Connect from the
 * descriptors. Methods without a handler are left out and answer UNIMPLEMENTED.
 */
export function connectRoutes(
  bindings: readonly ServiceBinding[],
  invoke: Invoker,
  onError: (e: unknown) => void,
) {
  return (router: ConnectRouter) => {
    for (const binding of bindings) {
      const impl: Record<string, (req: Message, ctx: HandlerContext) => Promise<unknown>> = {};
      for (const method of binding.service.methods) {
        const handler = handlerFor(binding, method);
        if (!handler) continue;
        impl[method.localName] = async (req, ctx) => {
          try {
            return await invoke(method, handler, req, ctx.requestHeader, ctx.values.get(AUTHENTICATED));
          } catch (e) {
            const err = asUsherError(e);
            onError(err);
            throw toConnectError(err);
          }
        };
      }
      router.service(binding.service, impl as never);
    }
    parseErrorsAsInvalidArgument(router);
  };
}

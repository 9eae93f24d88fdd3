// Invites a person with ZITADEL's official client, unchanged, against Usher.
//   node examples/invite.mjs ada@example.com [grpc|grpc-web|connect]
// USHER_URL (default http://localhost:8080) and USHER_TOKEN (default: .usher/admin.pat).
import { readFileSync } from "node:fs";
import { NewAuthorizationBearerInterceptor } from "@zitadel/client";
import { createServerTransport } from "@zitadel/client/node";
import { createUserServiceClient } from "@zitadel/client/v2";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";

const email = process.argv[2] ?? "ada@example.com";
const protocol = process.argv[3] ?? "grpc";
const baseUrl = process.env.USHER_URL ?? "http://localhost:8080";
const token = process.env.USHER_TOKEN ?? readFileSync(".usher/admin.pat", "utf8").trim();

const auth = [NewAuthorizationBearerInterceptor(token)];
const transport =
  protocol === "grpc"
    ? createServerTransport(token, { baseUrl })
    : protocol === "grpc-web"
      ? createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors: auth })
      : createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: auth });
const users = createUserServiceClient(transport);

const { userId } = await users.addHumanUser({
  profile: { givenName: "Ada", familyName: "Lovelace" },
  email: { email, verification: { case: "isVerified", value: false } },
});
await users.createInviteCode({
  userId,
  verification: { case: "sendCode", value: { applicationName: "My App" } },
});
console.log(JSON.stringify({ userId }));

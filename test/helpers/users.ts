import { rest } from "./clients.ts";
import { unique } from "./test-app.ts";

/** Creates a human user over REST with an unverified email and no code; returns its id and email. */
export async function createUser(
  baseUrl: string,
  token: string,
  extra: Record<string, unknown> = {},
): Promise<{ userId: string; email: string }> {
  const email = `${unique("person")}@example.com`;
  const res = await rest(baseUrl, "POST", "/v2/users/human", {
    token,
    body: {
      profile: { givenName: "Ada", familyName: "Lovelace" },
      email: { email, isVerified: false },
      ...extra,
    },
  });
  if (res.status !== 200) throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { userId: res.body.userId as string, email };
}

/** The ZITADEL error id in a REST error body. */
export function errorId(body: Record<string, unknown>): string | undefined {
  const details = body.details as Array<{ id?: string }> | undefined;
  return details?.[0]?.id;
}

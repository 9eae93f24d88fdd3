import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code } from "@connectrpc/connect";
import { PROTOCOLS, userClient } from "./helpers/clients.ts";
import { codeFrom, type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { assertRpcError } from "./helpers/v2-people.ts";

let smtp: SmtpCatcher;
let t: TestApp;
before(async () => {
  smtp = await startSmtpCatcher();
  t = await startTestApp({ config: { smtpUrl: smtp.url } });
});
after(async () => {
  await t?.stop();
  await smtp?.close();
});

async function newUser(protocol: (typeof PROTOCOLS)[number]) {
  const client = userClient(protocol, t.baseUrl, t.adminToken);
  const { userId } = await client.addHumanUser({
    profile: { givenName: "Mary", familyName: "Jackson" },
    email: { email: `${unique("old")}@example.com`, verification: { case: "isVerified", value: true } },
  });
  return { client, userId };
}

describe("codes by mail, end to end over SMTP", () => {
  for (const protocol of PROTOCOLS) {
    test(`${protocol}: change the email, receive the code, verify it; older codes are refused`, async () => {
      const { client, userId } = await newUser(protocol);
      const address = `${unique("new")}@example.com`;
      const urlTemplate = "https://app.example/verify?u={{.UserID}}&c={{.Code}}&o={{.OrgID}}";
      await client.setEmail({
        userId,
        email: address,
        verification: { case: "sendCode", value: { urlTemplate } },
      });
      const first = await smtp.waitFor((m) => m.to.includes(address));
      assert.equal(first.subject, "Verify email");
      const firstCode = codeFrom(first);
      assert.ok(
        first.text.includes(`https://app.example/verify?u=${userId}&c=${firstCode}&o=${t.defaultOrgId}`),
      );

      await client.sendEmailCode({ userId });
      const second = await smtp.waitFor((m) => m.to.includes(address) && m !== first);
      const secondCode = codeFrom(second);
      assert.ok(second.text.includes(`/ui/login/mail/verification?userID=${userId}&code=${secondCode}`));
      if (secondCode !== firstCode) {
        await assertRpcError(
          client.verifyEmail({ userId, verificationCode: firstCode }),
          Code.InvalidArgument,
          "Code is invalid",
          "COMMAND-eis9R",
        );
      }
      await client.verifyEmail({ userId, verificationCode: secondCode });
      const got = await client.getUserByID({ userId });
      const email = got.user?.type.case === "human" ? got.user.type.value.email : undefined;
      assert.equal(email?.email, address);
      assert.equal(email?.isVerified, true);
      await assertRpcError(
        client.verifyEmail({ userId, verificationCode: secondCode }),
        Code.InvalidArgument,
        "Code is invalid",
        "COMMAND-eis9R",
      );
      await assertRpcError(
        client.resendEmailCode({ userId }),
        Code.FailedPrecondition,
        "Code is empty",
        "EMAIL-5w5ilin4yt",
      );
    });

    test(`${protocol}: reset a password through the mailed code; older and used codes are refused`, async () => {
      const { client, userId } = await newUser(protocol);
      const got = await client.getUserByID({ userId });
      const address = got.user?.type.case === "human" ? (got.user.type.value.email?.email ?? "") : "";
      await client.passwordReset({ userId, medium: { case: "sendLink", value: { notificationType: 1 } } });
      const first = await smtp.waitFor((m) => m.to.includes(address) && m.subject === "Reset password");
      const firstCode = codeFrom(first);
      assert.ok(
        first.text.includes(
          `/ui/login/password/init?userID=${userId}&code=${firstCode}&orgID=${t.defaultOrgId}`,
        ),
      );
      const urlTemplate = "https://app.example/password?c={{.Code}}";
      await client.passwordReset({ userId, medium: { case: "sendLink", value: { urlTemplate } } });
      const second = await smtp.waitFor(
        (m) => m.to.includes(address) && m.subject === "Reset password" && m !== first,
      );
      const secondCode = codeFrom(second);
      assert.ok(second.text.includes(`https://app.example/password?c=${secondCode}`));
      const set = (code: string, password: string) =>
        client.setPassword({
          userId,
          newPassword: { password, changeRequired: false },
          verification: { case: "verificationCode", value: code },
        });
      if (secondCode !== firstCode)
        await assertRpcError(
          set(firstCode, "brand new secret"),
          Code.InvalidArgument,
          "Code is invalid",
          "CODE-woT0xc",
        );
      await set(secondCode, "brand new secret");
      await assertRpcError(
        set(secondCode, "another secret"),
        Code.FailedPrecondition,
        "Code not found",
        "COMMAND-2M9fs",
      );
      await client.setPassword({
        userId,
        newPassword: { password: "a third secret", changeRequired: false },
        verification: { case: "currentPassword", value: "brand new secret" },
      });
    });
  }
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { REDACTED, redacting } from "./redacting.ts";
import { type OutgoingMail, SendError, type Sender } from "./sender.ts";

const mail: OutgoingMail = {
  to: "ada@example.com",
  from: "usher@example.com",
  subject: "Invitation",
  text: "Your code: K7Q2ZP",
  html: "<p>K7Q2ZP</p>",
  messageId: "<1@usher>",
  outboxId: "1",
  orgId: "o",
  args: {
    type: "InviteUser",
    language: "en",
    userId: "u",
    code: "K7Q2ZP",
    link: "https://usher.example/ui/login/user/invite?userID=u&code=K7Q2ZP",
    displayName: "Ada",
    username: "ada",
    applicationName: "",
  },
};

const echoing = (fail: boolean): Sender => ({
  name: "webhook",
  async send(m) {
    const echo = `got ${JSON.stringify(m.args)}`;
    if (fail) throw new SendError(`webhook answered 500 ${echo}`, true);
    return { response: echo };
  },
});

test("a provider's error that echoes the message loses its code and link, keeps the rest", async () => {
  const err = await redacting(echoing(true))
    .send(mail)
    .catch((e: unknown) => e);
  assert.ok(err instanceof SendError);
  assert.equal(err.permanent, true);
  assert.ok(!err.message.includes("K7Q2ZP"), err.message);
  assert.match(err.message, /^webhook answered 500/);
  assert.ok(err.message.includes(REDACTED));
});

test("a provider's reply that echoes the message loses its code", async () => {
  const receipt = await redacting(echoing(false)).send(mail);
  assert.ok(!receipt.response.includes("K7Q2ZP"), receipt.response);
  assert.ok(receipt.response.includes(`"displayName":"Ada"`), receipt.response);
});

test("a redacted error keeps what it says about the provider: permanent, or unavailable (which opens the circuit)", async () => {
  for (const [permanent, unavailable] of [
    [true, false],
    [false, true],
    [false, false],
  ] as const) {
    const failing: Sender = {
      name: "smtp",
      async send(m) {
        throw new SendError(`refused ${m.args.code}`, permanent, unavailable);
      },
    };
    const err = await redacting(failing)
      .send(mail)
      .catch((e: unknown) => e);
    assert.ok(err instanceof SendError);
    assert.equal(err.permanent, permanent);
    assert.equal(err.unavailable, unavailable);
    assert.equal(err.message, `refused ${REDACTED}`);
  }
});

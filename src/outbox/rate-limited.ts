import type { Sender } from "./sender.ts";

/**
 * Spaces a sender's messages to at most `perSecond` (per process): each send waits for its
 * slot. Providers often limit how fast they accept mail; staying under keeps them from deferring.
 */
export function rateLimited(sender: Sender, perSecond: number): Sender {
  if (perSecond <= 0) return sender;
  const gapMs = 1000 / perSecond;
  let next = 0;
  return {
    name: sender.name,
    async send(mail) {
      const now = Date.now();
      const slot = Math.max(now, next);
      next = slot + gapMs;
      if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
      return sender.send(mail);
    },
    close: sender.close?.bind(sender),
  };
}

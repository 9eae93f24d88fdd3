import { invalidArgument } from "../errors/usher-error.ts";

/**
 * A plain address as Go's `net/mail.ParseAddress` accepts it without a display name:
 * a dot-atom or quoted local part, `@`, and a domain. Returns the trimmed address.
 */
export function normalizeEmail(input: string): string {
  const address = input.trim();
  if (!address) throw invalidArgument("EMAIL-spblu", "Errors.User.Email.Empty");
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const atom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
  const quoted = /^"([^"\\\r\n]|\\.)*"$/;
  const domainOk = atom.test(domain) || /^\[[^\]\s]+\]$/.test(domain);
  if (at < 1 || !(atom.test(local) || quoted.test(local)) || !domainOk) {
    throw invalidArgument("EMAIL-599BI", "Errors.User.Email.Invalid");
  }
  return address;
}

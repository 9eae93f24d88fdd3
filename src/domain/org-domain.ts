/** Characters a domain label keeps: letters (any script, with marks), digits and hyphens. */
const NOT_LABEL = /[^\p{L}\p{M}0-9-]/gu;

/**
 * The generated primary domain of a new organization, as ZITADEL derives it: spaces become
 * hyphens, other characters are dropped, the label is cut to 63 characters (and the whole name
 * to 253), loses a leading or trailing hyphen and is lower-cased. Undefined when nothing is
 * left of the name (ZITADEL's `Errors.Org.Domain.EmptyString`).
 */
export function iamDomainName(orgName: string, iamDomain: string): string | undefined {
  let label = orgName.replaceAll(" ", "-").replace(NOT_LABEL, "");
  if (label.length > 63) label = label.slice(0, 63);
  const overflow = label.length + 1 + iamDomain.length - 253;
  if (overflow > 0) label = label.slice(0, Math.max(0, label.length - overflow));
  if (label.startsWith("-")) label = label.slice(1);
  if (label.endsWith("-")) label = label.slice(0, -1);
  return label ? `${label}.${iamDomain}`.toLowerCase() : undefined;
}

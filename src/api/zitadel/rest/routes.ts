import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { getOption, hasOption } from "@bufbuild/protobuf";
import { http } from "@zitadel/proto/google/api/annotations_pb.js";
import type { HttpRule } from "@zitadel/proto/google/api/http_pb.js";
import { type PathTemplate, parsePathTemplate, type VariableBinding } from "./path-template.ts";

/** A request routed to an RPC. */
export interface RestMatch {
  kind: "match";
  method: DescMethod;
  /** Decoded path variables keyed by their dotted proto field path (`user_id`, `a.b`). */
  pathParams: Record<string, string>;
  /** The rule's `body`: `""` (no body), `"*"` (the whole request) or a top-level field name. */
  body: string;
}

/** The outcome of routing one request. */
export type RestMatchResult = RestMatch | { kind: "method_not_allowed" } | { kind: "not_found" };

/** Routes HTTP requests to RPCs by their `google.api.http` annotations. */
export interface RestRouter {
  /** Routes `verb` (case-insensitive) and a raw, still percent-encoded `pathname`. */
  match(verb: string, pathname: string): RestMatchResult;
}

/** One service to expose, with an optional literal path prefix for relative annotations. */
export interface RestServiceMount {
  service: DescService;
  /** Prepended to every annotation path, e.g. `/management/v1`. */
  prefix?: string;
}

interface Rule {
  method: DescMethod;
  verb: string;
  customVerb: string;
  body: string;
  variables: VariableBinding[];
  template: string;
}

/**
 * A segment trie: lookups cost one map probe per path segment plus backtracking over the
 * rare places where a literal and a variable both fit, instead of a scan over all templates.
 */
interface TrieNode {
  literals: Map<string, TrieNode>;
  any: TrieNode | undefined;
  rest: TrieNode | undefined;
  rules: Rule[];
}

const newNode = (): TrieNode => ({ literals: new Map(), any: undefined, rest: undefined, rules: [] });

/**
 * Builds a router over every method that carries a `google.api.http` option, including its
 * `additional_bindings`. Methods without the option are simply not reachable over REST.
 * Throws when two rules claim the same verb and template shape, which would be ambiguous.
 */
export function buildRestRoutes(services: ReadonlyArray<RestServiceMount>): RestRouter {
  const root = newNode();
  let customVerbs = false;
  for (const { service, prefix = "" } of services) {
    const base = prefix.replace(/\/+$/, "");
    for (const method of service.methods) {
      if (!hasOption(method, http)) continue;
      const top = getOption(method, http);
      for (const rule of [top, ...top.additionalBindings]) {
        const binding = bindingOf(rule);
        if (binding === undefined) continue;
        const template = base + binding.path;
        const parsed = parsePathTemplate(template);
        customVerbs ||= parsed.verb !== "";
        insert(root, parsed, {
          method,
          verb: binding.verb,
          customVerb: parsed.verb,
          body: rule.body,
          variables: parsed.variables,
          template,
        });
      }
    }
  }
  return { match: (verb, pathname) => match(root, customVerbs, verb.toUpperCase(), pathname) };
}

/** The HTTP verb and path of a rule; `undefined` for a rule without a pattern. */
function bindingOf(rule: HttpRule): { verb: string; path: string } | undefined {
  const p = rule.pattern;
  if (p.case === undefined) return undefined;
  if (p.case === "custom") return { verb: p.value.kind.toUpperCase(), path: p.value.path };
  return { verb: p.case.toUpperCase(), path: p.value };
}

function insert(root: TrieNode, parsed: PathTemplate, rule: Rule): void {
  let node = root;
  for (const seg of parsed.segments) {
    if (seg.kind === "literal") {
      let next = node.literals.get(seg.value);
      if (next === undefined) {
        next = newNode();
        node.literals.set(seg.value, next);
      }
      node = next;
    } else if (seg.kind === "any") {
      node = node.any ??= newNode();
    } else {
      node = node.rest ??= newNode();
    }
  }
  const clash = node.rules.find((r) => r.verb === rule.verb && r.customVerb === rule.customVerb);
  if (clash !== undefined) {
    throw new Error(
      `REST route ${rule.verb} ${rule.template} of ${rule.method.parent.typeName}.${rule.method.name} ` +
        `collides with ${clash.template} of ${clash.method.parent.typeName}.${clash.method.name}`,
    );
  }
  node.rules.push(rule);
}

function match(root: TrieNode, customVerbs: boolean, verb: string, pathname: string): RestMatchResult {
  if (!pathname.startsWith("/")) return { kind: "not_found" };
  const raw = pathname.slice(1).split("/");
  const state = { pathMatched: false };
  // A trailing `:verb` is only split off when some template has one, so colons in IDs
  // stay part of the segment everywhere else. The verb reading is tried first, as in
  // `/v1/{name}:cancel`, because that is what such a path was written for.
  const last = raw.at(-1) ?? "";
  const colon = customVerbs ? last.lastIndexOf(":") : -1;
  const readings: Array<{ segments: string[]; customVerb: string }> = [];
  if (colon >= 0) {
    readings.push({
      segments: [...raw.slice(0, -1), last.slice(0, colon)],
      customVerb: last.slice(colon + 1),
    });
  }
  readings.push({ segments: raw, customVerb: "" });
  for (const reading of readings) {
    const segments = decodeSegments(reading.segments);
    if (segments === undefined) continue;
    const rule = search(root, segments, 0, verb, reading.customVerb, state);
    if (rule !== undefined) {
      return { kind: "match", method: rule.method, pathParams: capture(rule, segments), body: rule.body };
    }
  }
  return state.pathMatched ? { kind: "method_not_allowed" } : { kind: "not_found" };
}

/**
 * Depth-first over the trie in precedence order: literal child, then `*`, then `**`.
 * Returns the first rule for `verb`; a path that fits only under other verbs is noted in
 * `state` so the caller can answer 405 rather than 404.
 */
function search(
  node: TrieNode,
  segments: string[],
  i: number,
  verb: string,
  customVerb: string,
  state: { pathMatched: boolean },
): Rule | undefined {
  if (i === segments.length) {
    const hit = pick(node, verb, customVerb, state);
    if (hit !== undefined) return hit;
  } else {
    const literal = node.literals.get(segments[i] ?? "");
    const viaLiteral = literal && search(literal, segments, i + 1, verb, customVerb, state);
    if (viaLiteral) return viaLiteral;
    const viaAny = node.any && search(node.any, segments, i + 1, verb, customVerb, state);
    if (viaAny) return viaAny;
  }
  return node.rest && pick(node.rest, verb, customVerb, state);
}

function pick(node: TrieNode, verb: string, customVerb: string, state: { pathMatched: boolean }) {
  for (const rule of node.rules) {
    if (rule.customVerb !== customVerb) continue;
    state.pathMatched = true;
    if (rule.verb === verb) return rule;
  }
  return undefined;
}

/** Percent-decodes each segment after splitting, so `%2F` inside an ID stays in that ID. */
function decodeSegments(segments: string[]): string[] | undefined {
  try {
    return segments.map((s) => (s.includes("%") ? decodeURIComponent(s) : s));
  } catch {
    // A malformed escape cannot name any resource.
    return undefined;
  }
}

function capture(rule: Rule, segments: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const v of rule.variables) params[v.fieldPath] = segments.slice(v.start, v.end).join("/");
  return params;
}

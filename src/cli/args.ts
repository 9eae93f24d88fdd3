/** Parsed command line: the command, `--flag value` / `--flag=value` options and `--help`. */
export interface Args {
  command: string;
  rest: string[];
  flags: Map<string, string>;
  help: boolean;
}

/** Flags that take no value. */
const BOOLEAN_FLAGS = new Set(["--json", "--dry-run", "--no-invite"]);

export function parseArgs(argv: readonly string[]): Args {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--help" || a === "-h") help = true;
    else if (BOOLEAN_FLAGS.has(a)) flags.set(a.slice(2), "true");
    else if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith("--")) throw new Error(`${a} needs a value`);
        flags.set(a.slice(2), next);
        i++;
      }
    } else rest.push(a);
  }
  return { command: rest.shift() ?? "start", rest, flags, help };
}

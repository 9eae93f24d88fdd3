import { escalationProperty } from "./escalation/property.ts";

// Security invariant 2 (docs/SECURITY.md): no credential can do more than its creator — the "passwords" calls (test/escalation/).
// One random run per caller besides the two fixed ones: argon2 makes each run slow.
escalationProperty((call) => call.group === "passwords", 1);

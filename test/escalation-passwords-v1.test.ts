import { escalationProperty } from "./escalation/property.ts";

// Security invariant 2 (docs/SECURITY.md): no credential can do more than its creator — the password calls of v1 and UpdateHumanUser (test/escalation/).
// One random run per caller besides the two fixed ones: argon2 makes each run slow.
escalationProperty((call) => call.group === "passwords-v1", 1);

import { escalationProperty } from "./escalation/property.ts";

// Security invariant 2 (docs/SECURITY.md): no credential can do more than its creator — the "tokens" calls (test/escalation/).
escalationProperty((call) => call.group === "tokens");

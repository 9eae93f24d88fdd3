import { escalationProperty } from "./escalation/property.ts";

// Security invariant 2 (docs/SECURITY.md): no credential can do more than its creator — the "codes" calls (test/escalation/).
escalationProperty((call) => call.group === "codes");

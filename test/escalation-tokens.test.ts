import { escalationProperty } from "./escalation/property.ts";

// Issue 14.2: no credential can do more than its creator — the "tokens" calls (test/escalation/).
escalationProperty((call) => call.group === "tokens");

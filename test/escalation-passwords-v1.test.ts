import { escalationProperty } from "./escalation/property.ts";

// Issue 14.2: no credential can do more than its creator — the password calls of v1 and UpdateHumanUser (test/escalation/).
escalationProperty((call) => call.group === "passwords-v1");

import { outageTest } from "./helpers/outage-test.ts";

outageTest("webhook");

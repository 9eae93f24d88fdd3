import { outageTest } from "./helpers/outage-test.ts";

outageTest("smtp");

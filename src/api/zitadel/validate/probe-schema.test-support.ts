import assert from "node:assert/strict";
import { test } from "node:test";
import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import { create, createFileRegistry, setExtension } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  file_google_protobuf_duration,
} from "@bufbuild/protobuf/wkt";
import { FieldRulesSchema, rules } from "@zitadel/proto/validate/validate_pb.js";
import { firstViolation } from "./validate.ts";

/**
 * Test support: a one-field message `usher.probe.Probe { <type> value_field = 1; }` carrying
 * the given `(validate.rules)`, for supported rules in shapes the served requests do not pin. The file also
 * declares `enum Color { COLOR_UNSPECIFIED, COLOR_RED, COLOR_BLUE }`.
 */

export const Type = FieldDescriptorProto_Type;

/** The probe field: a scalar/enum/message, or a list of one. */
export interface ProbeField {
  readonly type: FieldDescriptorProto_Type;
  /** For messages and enums: `.google.protobuf.Duration`, `.usher.probe.Color`. */
  readonly typeName?: string;
  readonly repeated?: boolean;
}

let files = 0;

/** A freshly registered Probe message whose `value_field` has `fieldRules`. */
export function probe(field: ProbeField, fieldRules: MessageInitShape<typeof FieldRulesSchema>): DescMessage {
  const options = create(FieldOptionsSchema);
  setExtension(options, rules, create(FieldRulesSchema, fieldRules));
  const file = create(FileDescriptorProtoSchema, {
    name: `usher/probe${files++}.proto`,
    package: "usher.probe",
    syntax: "proto3",
    dependency: ["google/protobuf/duration.proto"],
    enumType: [
      {
        name: "Color",
        value: [
          { name: "COLOR_UNSPECIFIED", number: 0 },
          { name: "COLOR_RED", number: 1 },
          { name: "COLOR_BLUE", number: 2 },
        ],
      },
    ],
    messageType: [
      {
        name: "Probe",
        field: [
          {
            name: "value_field",
            jsonName: "valueField",
            number: 1,
            label: field.repeated ? FieldDescriptorProto_Label.REPEATED : FieldDescriptorProto_Label.OPTIONAL,
            type: field.type,
            typeName: field.typeName,
            options,
          },
        ],
      },
    ],
  });
  const registry = createFileRegistry(file, (name) =>
    name === "google/protobuf/duration.proto" ? file_google_protobuf_duration : undefined,
  );
  const message = registry.getMessage("usher.probe.Probe");
  if (message === undefined) throw new Error("probe message not registered");
  return message;
}

/** Field rules as written in a test. */
export type Rules = MessageInitShape<typeof FieldRulesSchema>;

/**
 * One wording case: [field, rules, value, expected] where `expected` follows
 * `invalid Probe.ValueField`, or is undefined when the value is valid.
 */
export type WordingCase = [ProbeField, Rules, unknown, string | undefined];

/** Registers one `node:test` test per case. */
export function testWording(cases: Record<string, WordingCase>): void {
  for (const [name, [field, fieldRules, value, expected]] of Object.entries(cases)) {
    test(name, () => {
      const schema = probe(field, fieldRules);
      const message = create(schema, { valueField: value } as MessageInitShape<DescMessage>);
      const want = expected === undefined ? undefined : `invalid Probe.ValueField${expected}`;
      assert.equal(firstViolation(schema, message), want);
    });
  }
}

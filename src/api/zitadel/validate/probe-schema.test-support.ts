import assert from "node:assert/strict";
import { test } from "node:test";
import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import { create, createFileRegistry, setExtension } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  file_google_protobuf_any,
  file_google_protobuf_wrappers,
  MessageOptionsSchema,
} from "@bufbuild/protobuf/wkt";
import { disabled, FieldRulesSchema, ignored, rules } from "@zitadel/proto/validate/validate_pb.js";
import { firstViolation } from "./validate.ts";

/**
 * Test support: a one-field message `usher.probe.Probe { <type> value_field = 1; }` carrying
 * the given `(validate.rules)`, for rule kinds no ZITADEL request uses. The file also
 * declares `enum Color { COLOR_UNSPECIFIED, COLOR_RED, COLOR_BLUE }`.
 */

export const Type = FieldDescriptorProto_Type;

/** The probe field: a scalar/enum/message, a list of one, or a `map<key, value>`. */
export interface ProbeField {
  readonly type: FieldDescriptorProto_Type;
  /** For messages and enums: `.google.protobuf.StringValue`, `.usher.probe.Color`. */
  readonly typeName?: string;
  readonly repeated?: boolean;
  /** Makes the field `map<key, type>`. */
  readonly mapKey?: FieldDescriptorProto_Type;
}

let files = 0;

/**
 * A freshly registered Probe message whose `value_field` has `fieldRules`; `messageFlag`
 * sets `(validate.disabled)` or `(validate.ignored)` on the message.
 */
export function probe(
  field: ProbeField,
  fieldRules: MessageInitShape<typeof FieldRulesSchema>,
  messageFlag?: "disabled" | "ignored",
): DescMessage {
  const options = create(FieldOptionsSchema);
  setExtension(options, rules, create(FieldRulesSchema, fieldRules));
  const messageOptions = create(MessageOptionsSchema);
  if (messageFlag !== undefined)
    setExtension(messageOptions, messageFlag === "disabled" ? disabled : ignored, true);
  const entry = field.mapKey === undefined ? undefined : "ValueFieldEntry";
  const file = create(FileDescriptorProtoSchema, {
    name: `usher/probe${files++}.proto`,
    package: "usher.probe",
    syntax: "proto3",
    dependency: ["google/protobuf/wrappers.proto", "google/protobuf/any.proto"],
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
        options: messageOptions,
        field: [
          {
            name: "value_field",
            jsonName: "valueField",
            number: 1,
            label:
              field.repeated || entry
                ? FieldDescriptorProto_Label.REPEATED
                : FieldDescriptorProto_Label.OPTIONAL,
            type: entry ? Type.MESSAGE : field.type,
            typeName: entry ? `.usher.probe.Probe.${entry}` : field.typeName,
            options,
          },
        ],
        nestedType: entry
          ? [
              {
                name: entry,
                options: { mapEntry: true },
                field: [
                  {
                    name: "key",
                    jsonName: "key",
                    number: 1,
                    label: FieldDescriptorProto_Label.OPTIONAL,
                    type: field.mapKey,
                  },
                  {
                    name: "value",
                    jsonName: "value",
                    number: 2,
                    label: FieldDescriptorProto_Label.OPTIONAL,
                    type: field.type,
                  },
                ],
              },
            ]
          : [],
      },
    ],
  });
  const registry = createFileRegistry(file, (name) =>
    name === "google/protobuf/wrappers.proto"
      ? file_google_protobuf_wrappers
      : name === "google/protobuf/any.proto"
        ? file_google_protobuf_any
        : undefined,
  );
  const message = registry.getMessage("usher.probe.Probe");
  if (message === undefined) throw new Error("probe message not registered");
  return message;
}

/** Field rules as written in a test. */
export type Rules = MessageInitShape<typeof FieldRulesSchema>;

/**
 * One wording case: [field, rules, value, expected] where `expected` follows
 * `invalid Probe.ValueField` (`invalid key for Probe.ValueField` with "onKey"), or is
 * undefined when the value is valid.
 */
export type WordingCase = [ProbeField, Rules, unknown, string | undefined, "onKey"?];

/** Registers one `node:test` test per case. */
export function testWording(cases: Record<string, WordingCase>): void {
  for (const [name, [field, fieldRules, value, expected, onKey]] of Object.entries(cases)) {
    test(name, () => {
      const schema = probe(field, fieldRules);
      const message = create(schema, { valueField: value } as MessageInitShape<DescMessage>);
      const want =
        expected === undefined ? undefined : `invalid ${onKey ? "key for " : ""}Probe.ValueField${expected}`;
      assert.equal(firstViolation(schema, message), want);
    });
  }
}

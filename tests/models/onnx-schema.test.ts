/**
 * The ONNX schema the translation encodes with is the vendored onnx.proto (ONNX 1.12.0), not a
 * hand-edited copy: protobufjs's own parse of that file gives exactly ONNX_SCHEMA.
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ONNX_SCHEMA } from '../../src/models/onnx-schema.ts';

describe('ONNX_SCHEMA', () => {
  it('is protobufjs\'s JSON form of vendor/onnx/onnx.proto', () => {
    const text = readFileSync(new URL('../../vendor/onnx/onnx.proto', import.meta.url), 'utf8');
    expect(ONNX_SCHEMA).toEqual(protobuf.parse(text, { keepCase: true }).root.toJSON());
    // The fields the translation writes, by the numbers onnx.proto gives them.
    const model = protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace).lookupType('onnx.ModelProto');
    expect([model.fields.ir_version!.id, model.fields.graph!.id, model.fields.opset_import!.id]).toEqual([1, 7, 8]);
  });
});

/**
 * Counts an ONNX model's parameters by reading its protobuf directly: ModelProto.graph (7)
 * → GraphProto.initializer (5) → TensorProto.dims (1). onnxruntime does not expose the
 * initializers, and a full protobuf library is not needed for three fields.
 */
function varint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 1;
  for (;;) {
    const byte = buf[pos++]!;
    value += (byte & 0x7f) * shift;
    if (!(byte & 0x80)) return [value, pos];
    shift *= 128;
    if (pos >= buf.length) throw new Error('truncated varint');
  }
}

/** Calls `onField(field, wire, start, end)` for each field of the message in buf[start, end). */
function fields(buf: Uint8Array, start: number, end: number, onField: (field: number, wire: number, from: number, to: number, value: number) => void): void {
  let pos = start;
  while (pos < end) {
    const [key, p1] = varint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const [v, p2] = varint(buf, p1);
      onField(field, wire, p1, p2, v);
      pos = p2;
    } else if (wire === 2) {
      const [len, p2] = varint(buf, p1);
      onField(field, wire, p2, p2 + len, len);
      pos = p2 + len;
    } else if (wire === 1) pos = p1 + 8;
    else if (wire === 5) pos = p1 + 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

export function countOnnxParameters(model: Uint8Array): { params: number; tensors: number } {
  let params = 0;
  let tensors = 0;
  fields(model, 0, model.length, (f, wire, from, to) => {
    if (f !== 7 || wire !== 2) return;
    fields(model, from, to, (g, gw, gfrom, gto) => {
      if (g !== 5 || gw !== 2) return;
      const dims: number[] = [];
      fields(model, gfrom, gto, (t, tw, tfrom, tto, value) => {
        if (t !== 1) return;
        if (tw === 0) dims.push(value);
        else for (let p = tfrom; p < tto;) {
          const [d, next] = varint(model, p);
          dims.push(d);
          p = next;
        }
      });
      tensors++;
      params += dims.reduce((a, b) => a * b, 1);
    });
  });
  return { params, tensors };
}

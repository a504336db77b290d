/** Types of codec.mjs, the bounded data-only message format between grader and child. */

export declare const LIMITS: Readonly<{ maxDepth: number; maxNodes: number; maxKeys: number }>;

export declare class CodecError extends Error {
  /** 'unserializable' or 'too-large' from encode; 'malformed' from decode. */
  readonly code: 'unserializable' | 'too-large' | 'malformed';
  /** A 'too-large' value that passed the byte limit (rather than a count). */
  readonly overBytes: boolean;
  constructor(code: CodecError['code'], message: string, overBytes?: boolean);
}

/** The values the format carries. */
export type Data =
  | undefined | null | boolean | number | string
  | Float32Array | Float64Array | Int32Array | Uint8Array
  | Data[] | { [key: string]: Data };

export declare function encode(value: unknown, maxBytes?: number): Buffer;
export declare function decode(bytes: Uint8Array): Data;
export declare function frame(body: Buffer): Buffer;
export declare function frameReader(onFrame: (body: Buffer) => boolean | void, tooLong: (length: number) => boolean): (chunk: Buffer) => void;

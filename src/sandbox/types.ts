/** The sandbox's vocabulary: limits, and results that are values, never exceptions. */
import type { Isolation } from '../core/vocabulary.ts';

export type { Isolation };

export interface SandboxLimits {
  /** Wall-clock limit for loading the module (its top-level code). */
  loadTimeoutMs: number;
  /** Wall-clock limit for one call. */
  callTimeoutMs: number;
  /** Wall-clock budget for all loading and calls of one submission. */
  submissionTimeoutMs: number;
  /** V8 heap cap of the child (--max-old-space-size). */
  heapMb: number;
  /** Resident memory cap, watched from the parent (Linux), covering buffers outside the heap. */
  rssMb: number;
  /** Largest value one call may return, serialized. */
  maxReturnBytes: number;
  /** stdout + stderr the child may print before it is stopped. */
  maxOutputBytes: number;
  /**
   * Refuse to run student code without bubblewrap (Linux namespaces around the child):
   * `start()` then fails with code 'isolation' instead of falling back to the permission
   * model alone. For the TA's server, where a weaker sandbox should stop the batch.
   */
  requireOsIsolation: boolean;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  loadTimeoutMs: 10_000,
  callTimeoutMs: 10_000,
  submissionTimeoutMs: 60_000,
  heapMb: 512,
  rssMb: 1536,
  maxReturnBytes: 64 * 1024 * 1024,
  maxOutputBytes: 1024 * 1024,
  requireOsIsolation: false,
};

export type SandboxErrorCode =
  | 'no-solution' | 'transpile' | 'load' | 'timeout' | 'budget' | 'oom' | 'memory' | 'too-large'
  | 'output' | 'threw' | 'crashed' | 'not-exported' | 'unserializable' | 'protocol'
  /** The OS isolation the rubric requires is not available: the grading machine's fault. */
  | 'isolation'
  /** The child process could not be started at all (a spawn error): the grading machine's fault. */
  | 'start';

export interface SandboxError {
  code: SandboxErrorCode;
  message: string;
}

export type CallResult<T = unknown> = { ok: true; value: T; ms: number } | { ok: false; error: SandboxError };

export interface ExportInfo {
  name: string;
  kind: string;
}

/** One submission's module, loaded in a child process. */
export interface SolutionSession {
  readonly isolation: Isolation;
  /** Loads the module; its exports, or why it could not be loaded. */
  start(): Promise<{ ok: true; exports: ExportInfo[] } | { ok: false; error: SandboxError }>;
  call(name: string, args: unknown[]): Promise<CallResult>;
  get(name: string): Promise<CallResult>;
  /** What the module printed (truncated), for the TA. */
  output(): string;
  close(): Promise<void>;
}

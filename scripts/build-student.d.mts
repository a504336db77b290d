/** Types of scripts/build-student.mjs, for the tests that build the student distribution. */
export interface StudentBuild {
  outDir: string;
  /** Every source file the bundles hold, relative to the repository (esbuild's metafile). */
  inputs: string[];
  /** Hidden checks compiled without their run. */
  hiddenStripped: number;
  /** The npm packages the bundles import, with the versions package.json gives. */
  dependencies: Record<string, string>;
}
export function buildStudent(outDir?: string): Promise<StudentBuild>;
export function studentRubric(rubric: unknown): unknown;
export function withoutHiddenWork(source: string, file: string): { source: string; stripped: number };

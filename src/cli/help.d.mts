/** Types of help.mjs: the help text and the version, loadable without TypeScript. */

/** The harness version: package.json's `version`. */
export declare function version(): string;

/** The text of `hw2 --help`. */
export declare function helpText(): string;

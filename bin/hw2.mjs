#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step between a clone and a grade.

// `hw2 grade ... | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const argv = process.argv.slice(2);
// `hw2 --version`, `hw2 --help` and a bare `hw2` are answered here, before tsx registers and
// before any command loads: they need nothing but package.json and the help text.
if (argv.length <= 1 && ['--version', '--help', '-h', undefined].includes(argv[0])) {
  const { helpText, version } = await import('../src/cli/help.mjs');
  console.log(argv[0] === '--version' ? version() : helpText());
  process.exitCode = argv.length ? 0 : 2; // a bare `hw2` is a usage error, as in main.ts
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { run } = await import('../src/cli/main.ts');
  process.exitCode = await run(argv);
}

import { LocalTraceUsageError } from './common/errors';
import { layersMain } from './layers/cli';
import { migrateMain } from './migrate/cli';
import { traceMain, USAGE } from './trace/trace-cli';

/**
 * `cdk-traced-lambda <command>`: the command line. Started by tool/bin/cdk-traced-lambda.js from the compiled
 * dist/tool/cli.js. Commands are rows of COMMANDS (below); each gets its arguments after the command name and
 * the output streams, and resolves with the exit status. A LocalTraceUsageError anywhere is printed as one
 * line with exit 2.
 */

/** A sub-command: its arguments (after the command name) and the output streams in, the exit status out. */
export type Command = (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => Promise<number>;

/** The sub-commands, by name. Add a command by adding a row. */
export const COMMANDS: Record<string, { readonly run: Command; readonly summary: string }> = {
  trace: { run: traceMain, summary: 'run a function from cdk.out on this machine and show its trace' },
  migrate: { run: migrateMain, summary: 'list X-Ray SDK uses and their OpenTelemetry replacements' },
  layers: { run: (argv, out, err) => layersMain(argv, out, err), summary: 'print the public layer table; --check it against AWS' },
};

function commandList(): string {
  return Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n');
}

/** Run the command line; resolves with the exit status, never rejects with a usage problem. */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    out.write(`Usage: cdk-traced-lambda <command> [options]\n\nCommands:\n${commandList()}\n\n`
      + 'Run `cdk-traced-lambda <command> --help` for its options.\n\n' + USAGE);
    return 0;
  }
  // `cdk-traced-lambda --function X ...` without a command means trace, as before.
  const [name, args] = first.startsWith('-') ? ['trace', argv] : [first, rest];
  const command = COMMANDS[name];
  try {
    if (!command) throw new LocalTraceUsageError(`Unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}.`);
    return await command.run(args, out, err);
  } catch (e) {
    if (e instanceof LocalTraceUsageError) {
      err.write(`cdk-traced-lambda${command ? ` ${name}` : ''}: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    throw e;
  }
}

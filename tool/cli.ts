import { LocalTraceUsageError, ToolErrorId } from './common/errors';
import { safeLine } from './common/safe-text';
import { layersMain } from './layers/cli';
import { migrateMain } from './migrate/cli';
import { traceMain, USAGE } from './trace/trace-cli';

/**
 * `cdk-traced-lambda <command>`: the command line. Started by tool/bin/cdk-traced-lambda.js from the compiled
 * dist/tool/cli.js. Commands are rows of COMMANDS (below); each gets its arguments after the command name and
 * the output streams, and resolves with the exit status. A LocalTraceUsageError anywhere is printed as one
 * line ending with its id (`[cdk-traced-lambda:someId]`, ids in tool/common/errors.ts) with exit 2.
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
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new LocalTraceUsageError(ToolErrorId.UNKNOWN_COMMAND, `Unknown command "${safeLine(name)}"; commands: ${Object.keys(COMMANDS).join(', ')}.`);
    return await command.run(args, out, err);
  } catch (e) {
    if (e instanceof LocalTraceUsageError) {
      // One line, whatever the message holds: control characters escaped, so an argument cannot drive the terminal.
      err.write(`cdk-traced-lambda${command ? ` ${name}` : ''}: ${safeLine(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}

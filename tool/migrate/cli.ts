import { renderText } from './render';
import { buildReport, MigrateOptions, plural } from './report';
import { LocalTraceUsageError, ToolErrorId } from '../common/errors';
import { safeLine } from '../common/safe-text';

/**
 * `cdk-traced-lambda migrate`: lists the X-Ray SDK uses of an app's Python functions (or of a source
 * directory) with their OpenTelemetry replacements. Dispatched from lib/local-trace/cli.ts.
 */

export const MIGRATE_USAGE = `Usage: cdk-traced-lambda migrate [SOURCE_DIR] [options]

List every use of the AWS X-Ray SDK for Python (and of the Powertools Tracer) in the Python
functions of a synthesized CDK app, or in SOURCE_DIR, with the OpenTelemetry replacement from
AWS's migration guide, the X-Ray SDK packages in the functions' layers that can go, and what
to change in the app. The sources are parsed with Python's ast module, never imported or run.

Options:
  --app DIR            cloud assembly directory (default: cdk.out; run \`npx cdk synth\` first)
  --function TEXT      only the functions whose construct path or logical id contains TEXT
  --json               print the report as JSON (schemaVersion 1; see docs/migrate.md)
  --check              exit 1 while any X-Ray SDK use remains in the code (or a file cannot be
                       parsed, which could hide one), 0 when none (for CI)
  --python PATH        Python interpreter that parses the sources (default: python3)
  -h, --help           show this help

Exit status: 0 the report was printed (with --check: nothing left to migrate), 1 --check found
something left, 2 a usage error (bad flag, missing directory, not a cloud assembly).
`;

interface Args extends MigrateOptions {
  readonly json: boolean;
  readonly check: boolean;
  readonly help: boolean;
}

function parseArgs(argv: string[]): Args {
  const rest = [...argv];
  if (rest[0] === 'migrate') rest.shift();
  let assemblyDir: string | undefined;
  let functionFilter: string | undefined;
  let sourceDir: string | undefined;
  let python: string | undefined;
  let json = false;
  let check = false;
  let help = false;
  while (rest.length > 0) {
    const arg = rest.shift()!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 ? arg.slice(eq + 1) : rest.shift();
      if (v === undefined || v === '') {
        throw new LocalTraceUsageError(ToolErrorId.OPTION_NEEDS_VALUE, `${safeLine(flag)} needs a value, got none: pass ${safeLine(flag)} VALUE.`);
      }
      return v;
    };
    switch (flag) {
      case '--app': assemblyDir = value(); break;
      case '--function': functionFilter = value(); break;
      case '--python': python = value(); break;
      case '--json': json = true; break;
      case '--check': check = true; break;
      case '-h': case '--help': help = true; break;
      default:
        if (arg.startsWith('-')) {
          throw new LocalTraceUsageError(ToolErrorId.UNKNOWN_OPTION, `Unknown option "${safeLine(arg)}"; see cdk-traced-lambda migrate --help.`);
        }
        if (sourceDir !== undefined) {
          throw new LocalTraceUsageError(ToolErrorId.SOURCE_DIR_REPEATED,
            `Two source directories, "${safeLine(sourceDir)}" and "${safeLine(arg)}"; give one (run migrate once per directory).`);
        }
        sourceDir = arg;
    }
  }
  if (sourceDir !== undefined && assemblyDir !== undefined) {
    throw new LocalTraceUsageError(ToolErrorId.SOURCE_DIR_AND_APP, `A source directory ("${safeLine(sourceDir)}") and --app "${safeLine(assemblyDir)}" `
      + 'were both given; give one: the directory for its Python files, or --app for the functions of a cloud assembly.');
  }
  if (sourceDir !== undefined && functionFilter !== undefined) {
    throw new LocalTraceUsageError(ToolErrorId.FUNCTION_WITH_SOURCE_DIR, `--function "${safeLine(functionFilter)}" was given with the source directory `
      + `"${safeLine(sourceDir)}"; --function selects functions of a cloud assembly: drop it, or pass --app DIR instead of the directory.`);
  }
  return { assemblyDir, functionFilter, sourceDir, python, json, check, help };
}

/** Run the command; resolves with the exit status. */
export async function migrateMain(argv: string[], out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      out.write(MIGRATE_USAGE);
      return 0;
    }
    const report = buildReport(args);
    out.write(args.json ? JSON.stringify(report, undefined, 2) + '\n' : renderText(report));
    if (!args.check) return 0;
    const t = report.totals;
    if (t.uses + t.parseErrors > 0) {
      err.write(`cdk-traced-lambda migrate --check: ${plural(t.uses, 'X-Ray SDK use')} and ${plural(t.parseErrors, 'unparsable file')} remain.\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof LocalTraceUsageError) {
      err.write(`cdk-traced-lambda migrate: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    throw e;
  }
}

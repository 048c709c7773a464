/**
 * The `spanlens` command: scripts/spanlens.mjs runs the bundle of this file (scripts/build-cli.mjs),
 * or this file itself with Node's TypeScript support when no bundle can be built.
 * Exit status: 0 ok, 1 when Jaeger or the input file fails, 2 for bad arguments or configuration.
 * The report's modules are imported on demand, so `--help` loads none of them.
 */
import { REPORT_USAGE, TOP_USAGE } from './usage.ts';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
  readonly nowUs: () => number;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(`${TOP_USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'report') {
    io.stderr(`Unknown command "${command}". ${TOP_USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${REPORT_USAGE}\n`);
    return 0;
  }
  const [{ InvalidEnvironmentError, parseEnv }, { JaegerError }, { TraceFileError }, { parseReportArgs, UsageError }, format, { runReport }] =
    await Promise.all([
      import('../env.ts'),
      import('../jaeger/errors.ts'),
      import('../jaeger/file-source.ts'),
      import('./args.ts'),
      import('./format.ts'),
      import('./report.ts'),
    ]);
  const { formatCsv, formatJson, formatTable } = format;
  try {
    const args = parseReportArgs(rest);
    const env = parseEnv(io.env);
    const { report } = await runReport(args, env, io.nowUs());
    if (args.format === 'json') io.stdout(formatJson(report));
    else if (args.format === 'csv') io.stdout(formatCsv(report, args.query.groupBy));
    else io.stdout(formatTable(report, args.query.groupBy));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`spanlens: ${error.message}\n`);
      return 2;
    }
    if (error instanceof InvalidEnvironmentError) {
      io.stderr(`spanlens: ${error.message}\n`);
      return 2;
    }
    if (error instanceof JaegerError || error instanceof TraceFileError) {
      io.stderr(`spanlens: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  const code = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    nowUs: () => Date.now() * 1_000,
  });
  process.exitCode = code;
}

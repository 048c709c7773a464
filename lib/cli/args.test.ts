import { describe, expect, it } from 'vitest';
import { parseDurationUs, parseReportArgs, UsageError } from './args.ts';

const FILE = ['--file', 't.json', '--service', 'api'];

describe('parseReportArgs', () => {
  it('reads a full --jaeger query', () => {
    expect(
      parseReportArgs([
        '--jaeger',
        'http://localhost:16686/',
        '--api',
        'v3',
        '--service',
        'api',
        '--operation',
        'GET /x',
        '--tag',
        'http.route=/a=b',
        '--tag',
        'region=eu',
        '--start',
        '2026-11-23T09:00:00.000123Z',
        '--end',
        '2026-11-23T11:00:00+01:00',
        '--limit',
        '500',
        '--group-by',
        'operation,tag:region',
        '--format',
        'csv',
      ]),
    ).toEqual({
      source: { kind: 'jaeger', url: 'http://localhost:16686', api: 'v3' },
      service: 'api',
      operation: 'GET /x',
      tags: { 'http.route': '/a=b', region: 'eu' },
      window: { kind: 'absolute', startUs: 1_795_424_400_000_123, endUs: 1_795_428_000_000_000 },
      limit: 500,
      groupBy: ['operation', 'tag:region'],
      format: 'csv',
    });
  });

  it('defaults: a file covers its whole range, Jaeger the last hour; group by service and operation; table', () => {
    expect(parseReportArgs(FILE)).toMatchObject({ window: { kind: 'all' }, limit: undefined, groupBy: ['service', 'operation'], format: 'table' });
    expect(parseReportArgs(['--jaeger', 'http://j:16686', '--service', 'api'])).toMatchObject({
      source: { api: 'auto' },
      window: { kind: 'lookback', lookbackUs: 3_600_000_000 },
    });
  });

  it.each([
    [[...FILE, '--lookback', 'soon'], '--lookback takes a duration such as 15m, 1h or 2d (got "soon").'],
    [[...FILE, '--lookback', '1h', '--start', '2026-01-01T00:00:00Z'], 'Use either --lookback or --start/--end, not both.'],
    [[...FILE, '--start', '2026-01-01T00:00:00Z'], '--start and --end go together.'],
    [
      [...FILE, '--start', '2026-01-01T10:00', '--end', '2026-01-01T11:00:00Z'],
      '--start must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z (got "2026-01-01T10:00").',
    ],
    [[...FILE, '--start', '2026-01-02T00:00:00Z', '--end', '2026-01-01T00:00:00Z'], '--end must be later than --start.'],
    [[...FILE, '--group-by', 'tag:a,tag:b,tag:c'], '--group-by allows at most two tag:KEY entries.'],
    [[...FILE, '--group-by', 'host'], '--group-by takes service, operation or tag:KEY, comma-separated (got "host").'],
    [[...FILE, '--format', 'xml'], '--format must be json, table or csv (got "xml").'],
    [[...FILE, '--limit', '0'], '--limit must be a whole number from 1 to 100000 (got "0").'],
    [[...FILE, '--tag', 'novalue'], '--tag takes key=value (got "novalue").'],
    [[...FILE, '--api', 'v3'], '--api applies only with --jaeger.'],
    [['--jaeger', 'ftp://j', '--service', 'a'], '--jaeger must be an http(s) URL such as http://localhost:16686 (got "ftp://j").'],
    [['--jaeger', 'http://j', '--api', 'v4', '--service', 'a'], '--api must be auto, legacy or v3 (got "v4").'],
    [['--file', 't.json'], '--service S is required: metrics are counted for one service.'],
    [[...FILE, '--service', 'b'], '--service may be given only once.'],
    [[...FILE, 'extra'], 'Unexpected argument "extra"; every option needs its --name.'],
    [
      [...FILE, '--colour'],
      "Unknown option '--colour'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--colour\". Run \"spanlens report --help\" for the options.",
    ],
  ])('%j → %s', (argv, message) => {
    expect(() => parseReportArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('parseDurationUs', () => {
  it.each([
    ['500ms', 500_000],
    ['90s', 90_000_000],
    ['15m', 900_000_000],
    ['1h30m', 5_400_000_000],
    ['2d', 172_800_000_000],
    ['1.5h', 5_400_000_000],
    ['1w', 604_800_000_000],
    ['1', null],
    ['h', null],
    ['-1h', null],
  ])('%s → %s', (text, us) => {
    expect(parseDurationUs(text)).toBe(us);
  });
});

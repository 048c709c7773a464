import { describe, expect, it } from 'vitest';
import { parseDashboardQuery, dataQueryOf } from '../query/dashboard-query.ts';
import { parseReportArgs, UsageError } from './args.ts';

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
      query: {
        service: 'api',
        operation: 'GET /x',
        tags: { 'http.route': '/a=b', region: 'eu' },
        window: { kind: 'absolute', startUs: 1_795_424_400_000_123, endUs: 1_795_428_000_000_000 },
        limit: 500,
        groupBy: ['operation', 'tag:region'],
        clientErrors: false,
        include: ['groups', 'selfTime', 'criticalPath'],
      },
      wholeFile: false,
      format: 'csv',
    });
  });

  it('maps every query flag onto the URL param of the same meaning, so both parse to one query', () => {
    const cli = parseReportArgs([
      ...FILE,
      '--operation',
      'GET /x',
      '--tag',
      'region=eu',
      '--lookback',
      '1h30m',
      '--min-duration',
      '1.5ms',
      '--max-duration',
      '2s',
      '--client-errors',
      '--limit',
      '20',
      '--group-by',
      'tag:region',
    ]);
    const url = parseDashboardQuery(
      'service=api&operation=GET+/x&tags=region%3Deu&lookback=1h30m&minDuration=1.5ms&maxDuration=2s&clientErrors=1&limit=20&groupBy=tag:region',
    );
    expect(cli.query).toEqual({ ...dataQueryOf(url), include: ['groups', 'selfTime', 'criticalPath'] });
  });

  it('--service is optional: without it every service is reported', () => {
    expect(parseReportArgs(['--file', 't.json']).query.service).toBeUndefined();
  });

  it('defaults: a file covers its whole range, Jaeger the last hour; group by service and operation; table', () => {
    expect(parseReportArgs(FILE)).toMatchObject({ wholeFile: true, query: { groupBy: ['service', 'operation'] }, format: 'table' });
    expect(parseReportArgs(FILE).query.limit).toBeUndefined();
    expect(parseReportArgs(['--jaeger', 'http://j:16686', '--service', 'api'])).toMatchObject({
      source: { api: 'auto' },
      wholeFile: false,
      query: { window: { kind: 'relative', lookbackUs: 3_600_000_000 } },
    });
  });

  it.each([
    [[...FILE, '--lookback', 'soon'], '--lookback must be a duration such as 250ms, 1.5s, 15m, 1h30m or 2d; got "soon".'],
    [[...FILE, '--min-duration', 'fast'], '--min-duration must be a duration such as 250ms, 1.5s, 15m, 1h30m or 2d; got "fast".'],
    [[...FILE, '--min-duration', '2s', '--max-duration', '1s'], '--max-duration must not be less than minDuration.'],
    [[...FILE, '--lookback', '1h', '--start', '2026-01-01T00:00:00Z'], 'Use either --lookback or --start/--end, not both.'],
    [[...FILE, '--start', '2026-01-01T00:00:00Z'], '--end is needed too: give both start and end, or neither.'],
    [
      [...FILE, '--start', '2026-01-01T10:00', '--end', '2026-01-01T11:00:00Z'],
      '--start must be an ISO 8601 time with a zone, such as 2026-11-23T09:00:00Z, or a date such as 2026-11-23; got "2026-01-01T10:00".',
    ],
    [[...FILE, '--start', '2026-01-02T00:00:00Z', '--end', '2026-01-01T00:00:00Z'], '--end must be after start.'],
    [[...FILE, '--group-by', 'tag:a,tag:b,tag:c'], '--group-by allows at most 2 tag keys.'],
    [[...FILE, '--group-by', 'host'], '--group-by must be service, operation or tag:KEY; got "host".'],
    [[...FILE, '--format', 'xml'], '--format must be json, table or csv (got "xml").'],
    [[...FILE, '--limit', '0'], '--limit must be a whole number from 1 to 100000; got "0".'],
    [[...FILE, '--tag', 'novalue'], '--tag must be key=value pairs such as http.route=/api; got "novalue".'],
    [[...FILE, '--api', 'v3'], '--api applies only with --jaeger.'],
    [['--jaeger', 'ftp://j', '--service', 'a'], '--jaeger must be an http(s) URL such as http://localhost:16686 (got "ftp://j").'],
    [['--jaeger', 'http://j', '--api', 'v4', '--service', 'a'], '--api must be auto, legacy or v3 (got "v4").'],
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

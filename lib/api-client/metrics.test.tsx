// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseDashboardQuery } from '../query/index.ts';
import { ApiError } from './api-error.ts';
import { useMetrics } from './metrics.ts';
import { makeQueryClient } from './query-client.ts';

/**
 * useMetrics over a hand-fed `/api/metrics?stream=1` body: each test writes the NDJSON lines the
 * server would (lib/server/metrics-stream.ts: one JSON object and "\n" per line) when it chooses,
 * so what the hook shows between two lines is observable.
 */

interface FakeStream {
  readonly url: string;
  write(text: string): void;
  end(): void;
}

let streams: FakeStream[] = [];

beforeEach(() => {
  streams = [];
  vi.stubGlobal('fetch', async (input: string) => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
    const encoder = new TextEncoder();
    streams.push({ url: input, write: (text) => controller.enqueue(encoder.encode(text)), end: () => controller.close() });
    return new Response(body, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } });
  });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const progressLine = (done: number, planned: number) => `${JSON.stringify({ type: 'progress', subWindowsDone: done, subWindowsPlanned: planned })}\n`;
// The hook passes `data` through untouched, so a result needs only the fields a test reads.
const resultLine = (spansCounted: number) => `${JSON.stringify({ type: 'result', data: { spansCounted, include: ['groups'] } })}\n`;

function renderUseMetrics(search: string) {
  const client = makeQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  return renderHook(({ search: current }) => useMetrics(parseDashboardQuery(current), ['groups']), { wrapper, initialProps: { search } });
}

const stream = (index: number): FakeStream => {
  const found = streams[index];
  if (found === undefined) throw new Error(`no request #${index + 1} yet (${streams.length} made)`);
  return found;
};

describe('useMetrics', () => {
  it('shows sub-window progress as each NDJSON line arrives, then the result and no progress', async () => {
    const { result } = renderUseMetrics('service=api&lookback=15m');
    await waitFor(() => expect(streams).toHaveLength(1));
    expect(stream(0).url).toBe('/api/metrics?service=api&lookback=15m&include=groups&stream=1');
    expect(result.current.progress).toBeNull();

    stream(0).write(progressLine(1, 3));
    await waitFor(() => expect(result.current.progress).toEqual({ subWindowsDone: 1, subWindowsPlanned: 3 }));

    // A line split across two chunks counts once, when its newline arrives.
    const second = progressLine(2, 3);
    stream(0).write(second.slice(0, 20));
    stream(0).write(second.slice(20));
    await waitFor(() => expect(result.current.progress).toEqual({ subWindowsDone: 2, subWindowsPlanned: 3 }));
    expect(result.current.isFetching).toBe(true);
    expect(result.current.data).toBeUndefined();

    stream(0).write(progressLine(3, 3) + resultLine(1_234));
    stream(0).end();
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data?.spansCounted).toBe(1_234);
    expect(result.current.progress).toBeNull();
  });

  it('turns an in-band error line into an ApiError with its status and sentence', async () => {
    const { result } = renderUseMetrics('service=api');
    await waitFor(() => expect(streams).toHaveLength(1));
    stream(0).write(progressLine(1, 2));
    stream(0).write(
      `${JSON.stringify({ type: 'error', status: 504, error: { code: 'jaeger_timeout', message: 'Jaeger did not answer within 15 s.' } })}\n`,
    );
    stream(0).end();
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(ApiError);
    expect(result.current.error).toMatchObject({ status: 504, code: 'jaeger_timeout', message: 'Jaeger did not answer within 15 s.' });
    expect(result.current.progress).toBeNull();
  });

  it('on refetch keeps the previous answer on screen and counts progress from zero again', async () => {
    const { result } = renderUseMetrics('service=api');
    await waitFor(() => expect(streams).toHaveLength(1));
    stream(0).write(progressLine(4, 4) + resultLine(10));
    stream(0).end();
    await waitFor(() => expect(result.current.data?.spansCounted).toBe(10));

    void result.current.refetch();
    await waitFor(() => expect(streams).toHaveLength(2));
    await waitFor(() => expect(result.current.isFetching).toBe(true));
    // Not the 4 of 4 the previous fetch ended on.
    expect(result.current.progress).toBeNull();
    expect(result.current.data?.spansCounted).toBe(10);

    stream(1).write(progressLine(1, 4));
    await waitFor(() => expect(result.current.progress).toEqual({ subWindowsDone: 1, subWindowsPlanned: 4 }));
    expect(result.current.data?.spansCounted).toBe(10);

    stream(1).write(resultLine(11));
    stream(1).end();
    await waitFor(() => expect(result.current.data?.spansCounted).toBe(11));
    expect(result.current.progress).toBeNull();
  });

  it("keeps the previous query's answer on screen, marked as placeholder, while a changed query loads", async () => {
    const { result, rerender } = renderUseMetrics('service=api');
    await waitFor(() => expect(streams).toHaveLength(1));
    stream(0).write(resultLine(10));
    stream(0).end();
    await waitFor(() => expect(result.current.data?.spansCounted).toBe(10));

    rerender({ search: 'service=api&lookback=15m' });
    await waitFor(() => expect(streams).toHaveLength(2));
    expect(stream(1).url).toBe('/api/metrics?service=api&lookback=15m&include=groups&stream=1');
    expect(result.current.isPlaceholderData).toBe(true);
    expect(result.current.data?.spansCounted).toBe(10);

    stream(1).write(resultLine(3));
    stream(1).end();
    await waitFor(() => expect(result.current.data?.spansCounted).toBe(3));
    expect(result.current.isPlaceholderData).toBe(false);
  });

  it('refetches on the refresh interval in live mode (refresh=5s on a relative window)', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { result } = renderUseMetrics('service=api&refresh=5s');
    await waitFor(() => expect(streams).toHaveLength(1));
    // Live mode is the page's business: the request itself carries no refresh param.
    expect(stream(0).url).toBe('/api/metrics?service=api&include=groups&stream=1');
    stream(0).write(resultLine(10));
    stream(0).end();
    await waitFor(() => expect(result.current.data?.spansCounted).toBe(10));

    await vi.advanceTimersByTimeAsync(4_000);
    expect(streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_500);
    await waitFor(() => expect(streams).toHaveLength(2));
    stream(1).write(resultLine(12));
    stream(1).end();
    await waitFor(() => expect(result.current.data?.spansCounted).toBe(12));
  });

  it.each([
    { what: 'refresh=off', search: 'service=api&refresh=off' },
    { what: 'an absolute window, even with refresh=5s', search: 'service=api&refresh=5s&start=2026-11-23T09:00:00Z&end=2026-11-23T10:00:00Z' },
  ])('does not refetch on its own with $what', async ({ search }) => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { result } = renderUseMetrics(search);
    await waitFor(() => expect(streams).toHaveLength(1));
    stream(0).write(resultLine(10));
    stream(0).end();
    await waitFor(() => expect(result.current.data?.spansCounted).toBe(10));
    await vi.advanceTimersByTimeAsync(65_000);
    expect(streams).toHaveLength(1);
  });

  it('sends no request while no service is chosen', async () => {
    const { result } = renderUseMetrics('lookback=15m');
    await vi.waitFor(() => expect(result.current.fetchStatus).toBe('idle'));
    expect(result.current.isPending).toBe(true);
    expect(streams).toHaveLength(0);
  });
});

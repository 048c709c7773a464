import type { ApiErrorBody, ApiErrorEnvelope } from '../http/api-types.ts';

/**
 * A failed /api call as the page shows it: the server's own sentence, its code and, for a 400, the
 * param at fault. `status` 0 means the Spanlens server itself could not be reached.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.field = body.field ?? null;
  }

  /** Upstream trouble (Jaeger down, slow, odd answer): worth a retry button. */
  get isUpstream(): boolean {
    return this.status === 502 || this.status === 503 || this.status === 504;
  }
}

function isEnvelope(value: unknown): value is ApiErrorEnvelope {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** Reads the envelope of a non-2xx answer; a proxy's HTML error page still yields a sentence. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    if (isEnvelope(body)) return new ApiError(response.status, body.error);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, {
    code: 'http_error',
    message: `The Spanlens server answered ${response.status} ${response.statusText}`.trim() + '.',
  });
}

/** fetch + envelope handling for every endpoint module. */
export async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (cause) {
    if (init?.signal?.aborted) throw cause;
    throw new ApiError(0, { code: 'network_error', message: 'The Spanlens server could not be reached; check that it is running.' });
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

/** `/api/x?a=1` from params, skipping unset ones. */
export function apiUrl(path: string, params: Readonly<Record<string, string | undefined>> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.append(key, value);
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

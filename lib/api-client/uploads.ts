import { useMutation } from '@tanstack/react-query';
import type { UploadResponse } from '../http/api-types.ts';
import { requestJson } from './api-error.ts';

/**
 * Upload a Jaeger export (the JSON of /api/traces or /api/v3 OTLP-JSON) for analysis. The answer's
 * `upload.source` (`upload:ID`) goes into the page URL as `source=` and every route reads that data set.
 * Kept in server memory: a restart forgets it.
 */
export function uploadTraces(file: File): Promise<UploadResponse> {
  const form = new FormData();
  form.append('file', file);
  return requestJson('/api/uploads', { method: 'POST', body: form });
}

export const useUploadTraces = () => useMutation({ mutationFn: uploadTraces });

import type { SourceInfo } from '@/lib/http/api-types';
import { Badge } from './ui/badge';

/** Says where the numbers come from whenever they are not a live Jaeger. */
export function ModeLabel({ source, testId }: { source: SourceInfo; testId?: string }) {
  if (source.mode === 'demo')
    return (
      <Badge status="info" testId={testId} title="JAEGER_URL is unset, so Spanlens shows its bundled demo data set.">
        Demo data
      </Badge>
    );
  if (source.mode === 'upload')
    return (
      <Badge status="info" testId={testId}>
        Uploaded file: {source.label}
      </Badge>
    );
  return null;
}

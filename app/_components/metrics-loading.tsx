import { LoadingPanel } from '@/components/ui/state-panel';
import type { MetricsProgress } from '@/lib/api-client';
import { testIds } from '@/lib/test-ids';

/** Loading state with fan-out progress (sub-windows done of planned) when the server streams it. */
export function MetricsLoading({ progress }: { progress: MetricsProgress | null }) {
  return (
    <LoadingPanel
      label="Querying Jaeger…"
      detail={
        progress ? (
          <span data-testid={testIds.progress}>
            {progress.subWindowsDone} of {progress.subWindowsPlanned} sub-windows done
          </span>
        ) : null
      }
    />
  );
}

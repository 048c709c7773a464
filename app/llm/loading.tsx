import { LoadingPanel } from '@/components/ui/state-panel';

export default function Loading() {
  return <LoadingPanel label="Loading LLM usage…" />;
}

import Link from 'next/link';
import { EmptyPanel } from '@/components/ui/state-panel';

export default function NotFound() {
  return (
    <EmptyPanel title="No such page">
      <Link href="/" className="underline">
        Go to the overview
      </Link>
    </EmptyPanel>
  );
}

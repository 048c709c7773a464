import Link from 'next/link';
import { statusClasses } from '@/components/ui/status';
import { testIds } from '@/lib/test-ids';

/** A bad URL param is a visible message naming the param, never a crash (design §5). */
export function InvalidQueryNotice({ field, message, resetHref }: { field: string; message: string; resetHref: string }) {
  return (
    <div role="alert" data-testid={testIds.invalidQuery} className={`rounded-lg p-4 ring-1 ring-inset ${statusClasses.error}`}>
      <p className="font-semibold">This link has a setting Spanlens cannot use: {field}</p>
      <p className="mt-1 text-sm">{message}</p>
      <Link href={resetHref} className="mt-2 inline-block text-sm font-medium underline">
        Open this page with default settings
      </Link>
    </div>
  );
}

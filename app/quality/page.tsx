import { qualityQuerySchema, safeParseQuery } from '@/lib/query';
import { InvalidQueryNotice } from '../_components/invalid-query-notice';
import type { PageSearchParams } from '../_components/search-params';
import { QualityView } from './_components/quality-view';

/** `/quality?<window>[&service=S]`: what is broken in the traces, from /api/quality. */
export default async function QualityPage({ searchParams }: { searchParams: PageSearchParams }) {
  const parsed = safeParseQuery(qualityQuerySchema, await searchParams);
  if (!parsed.ok) return <InvalidQueryNotice field={parsed.error.field} message={parsed.error.message} resetHref="/quality" />;
  return <QualityView query={parsed.query} />;
}

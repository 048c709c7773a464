import { InvalidQueryNotice } from './_components/invalid-query-notice';
import { OverviewView } from './_components/overview-view';
import { parsePageQuery, type PageSearchParams } from './_components/search-params';

export default async function OverviewPage({ searchParams }: { searchParams: PageSearchParams }) {
  const parsed = await parsePageQuery(searchParams);
  if (!parsed.ok) return <InvalidQueryNotice field={parsed.error.field} message={parsed.error.message} resetHref="/" />;
  return <OverviewView query={parsed.query} />;
}

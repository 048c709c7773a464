import { InvalidQueryNotice } from '../_components/invalid-query-notice';
import { parsePageQuery, type PageSearchParams } from '../_components/search-params';
import { DrilldownView } from './_components/drilldown-view';

export default async function OperationPage({ searchParams }: { searchParams: PageSearchParams }) {
  const parsed = await parsePageQuery(searchParams);
  if (!parsed.ok) return <InvalidQueryNotice field={parsed.error.field} message={parsed.error.message} resetHref="/" />;
  return <DrilldownView query={parsed.query} />;
}

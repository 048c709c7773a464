import { InvalidQueryNotice } from '../_components/invalid-query-notice';
import { parsePageQuery, type PageSearchParams } from '../_components/search-params';
import { ErrorsView } from './_components/errors-view';

export default async function ErrorsPage({ searchParams }: { searchParams: PageSearchParams }) {
  const parsed = await parsePageQuery(searchParams);
  if (!parsed.ok) return <InvalidQueryNotice field={parsed.error.field} message={parsed.error.message} resetHref="/errors" />;
  return <ErrorsView query={parsed.query} />;
}

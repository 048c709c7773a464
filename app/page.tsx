import { InvalidQueryNotice } from './_components/invalid-query-notice';
import { OverviewView } from './_components/overview-view';
import { parsePageQuery, type PageSearchParams } from './_components/search-params';
import { ServicesHome } from './_components/services-home';

/** `/` is the services home; `/?service=X` that service's overview (old links and saved views keep working). */
export default async function OverviewPage({ searchParams }: { searchParams: PageSearchParams }) {
  const parsed = await parsePageQuery(searchParams);
  if (!parsed.ok) return <InvalidQueryNotice field={parsed.error.field} message={parsed.error.message} resetHref="/" />;
  if (parsed.query.service === undefined) return <ServicesHome query={parsed.query} />;
  return <OverviewView query={parsed.query} />;
}

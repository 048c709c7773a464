import { dependenciesQuerySchema, safeParseQuery } from '@/lib/query';
import { InvalidQueryNotice } from '../_components/invalid-query-notice';
import type { PageSearchParams } from '../_components/search-params';
import { MapView } from './_components/map-view';

/** `/map?<window>[&service=S][&level=service|operation]`: who calls whom, from /api/dependencies. */
export default async function MapPage({ searchParams }: { searchParams: PageSearchParams }) {
  const parsed = safeParseQuery(dependenciesQuerySchema, await searchParams);
  if (!parsed.ok) return <InvalidQueryNotice field={parsed.error.field} message={parsed.error.message} resetHref="/map" />;
  return <MapView query={parsed.query} />;
}

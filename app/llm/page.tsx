import { InvalidQueryNotice } from '../_components/invalid-query-notice';
import { parsePageQuery, type PageSearchParams } from '../_components/search-params';
import { LlmView } from './_components/llm-view';

/** `/llm?<window>[&service=S][&groupBy=tag:K][&tags=…]`: LLM calls, tokens and cost, from /api/llm. */
export default async function LlmPage({ searchParams }: { searchParams: PageSearchParams }) {
  const parsed = await parsePageQuery(searchParams);
  if (!parsed.ok) return <InvalidQueryNotice field={parsed.error.field} message={parsed.error.message} resetHref="/llm" />;
  return <LlmView query={parsed.query} />;
}

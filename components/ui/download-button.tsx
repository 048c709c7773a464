/**
 * "CSV · JSON" for a table: plain links to the API that feeds it with `format=` (and `table=`), so the
 * browser downloads the file the route names (Content-Disposition) with no script in between. `params`
 * is what the page sends that API (its data query), so the file holds the numbers on screen.
 */
export function DownloadButton({ api, params, table, label }: { api: string; params: string; table: string; label: string }) {
  const href = (extra: string) => `${api}?${params === '' ? '' : `${params}&`}${extra}`;
  const link =
    'rounded px-1.5 py-0.5 font-medium text-sky-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 dark:text-sky-300 dark:ring-slate-700 dark:hover:bg-slate-800';
  return (
    <span className="flex items-center gap-1 text-xs text-slate-500">
      Download
      <a href={href(`format=csv&table=${encodeURIComponent(table)}`)} download className={link} aria-label={`Download ${label} as CSV`}>
        CSV
      </a>
      <a href={href('format=json')} download className={link} aria-label={`Download ${label} as JSON`}>
        JSON
      </a>
    </span>
  );
}

'use client';

import { usePathname } from 'next/navigation';
import { ModeLabel } from '@/components/mode-label';
import { BaselinePicker } from '@/components/query-bar/baseline-picker';
import { CopyLinkButton } from '@/components/query-bar/copy-link-button';
import { FoldNamesToggle } from '@/components/query-bar/fold-names-toggle';
import { GroupByPicker } from '@/components/query-bar/group-by-picker';
import { RefreshPicker } from '@/components/query-bar/refresh-picker';
import { ServicePicker } from '@/components/query-bar/service-picker';
import { WindowPicker } from '@/components/query-bar/window-picker';
import { useServices, useTagKeys } from '@/lib/api-client';
import { pinWindow, serializeDashboardQuery, type DashboardQuery } from '@/lib/query';
import { testIds } from '@/lib/test-ids';
import { SavedViewsPanel } from './saved-views-panel';
import { ShareSnapshot } from './share-snapshot';
import { SnapshotsPanel } from './snapshots-panel';
import { useQueryNavigation } from './use-query-navigation';

/** The query bar every dashboard page shares; each control writes the URL. */
export function DashboardControls({
  query,
  showGroupBy = false,
  shownWindowEndUs,
}: {
  query: DashboardQuery;
  showGroupBy?: boolean;
  /** End of the window the numbers on screen were computed for: "Copy link" pins exactly that window. */
  shownWindowEndUs?: number | undefined;
}) {
  const { update } = useQueryNavigation(query);
  const services = useServices({ source: query.source });
  const tagKeys = useTagKeys({ service: showGroupBy ? query.service : undefined, source: query.source });
  const groupedTag = query.groupBy.find((key) => key.startsWith('tag:'))?.slice('tag:'.length);
  const pathname = usePathname();
  /** The live link and the snapshot both pin the window the numbers on screen were computed for. */
  const pinnedSearch = () =>
    serializeDashboardQuery(pinWindow(query, shownWindowEndUs === undefined ? Date.now() : Math.floor(shownWindowEndUs / 1_000)));
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-3 rounded-lg bg-slate-50 p-3 dark:bg-slate-900">
        <ServicePicker
          services={services.data?.services ?? []}
          loading={services.isPending}
          value={query.service}
          onChange={(service) => update({ service, operation: undefined, tags: {}, group: undefined })}
        />
        <WindowPicker value={query.window} onChange={(window) => update({ window })} />
        <BaselinePicker value={query.baseline} window={query.window} onChange={(baseline) => update({ baseline })} />
        {showGroupBy ? (
          <GroupByPicker
            tagKeys={tagKeys.data?.keys.map((k) => k.key) ?? []}
            value={groupedTag}
            onChange={(key) => update({ groupBy: key === undefined ? ['service', 'operation'] : [`tag:${key}`] })}
          />
        ) : null}
        {showGroupBy ? (
          <FoldNamesToggle value={query.fold === true} onChange={(fold) => update({ fold: fold ? true : undefined }, 'replace')} />
        ) : null}
        <RefreshPicker value={query.refresh} onChange={(refresh) => update({ refresh }, 'replace')} />
        <div className="ml-auto flex items-center gap-3">
          {services.data ? <ModeLabel source={services.data.source} testId={testIds.modeLabel} /> : null}
          <CopyLinkButton
            buildUrl={() => {
              const search = pinnedSearch();
              return `${window.location.pathname}${search === '' ? '' : `?${search}`}`;
            }}
          />
          <ShareSnapshot path={pathname} query={pinnedSearch} />
        </div>
      </div>
      <SavedViewsPanel query={query} />
      <SnapshotsPanel />
    </div>
  );
}

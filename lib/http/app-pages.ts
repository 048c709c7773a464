/**
 * The app's pages (app/**\/page.tsx; `app-pages.test.ts` checks the list against the folder). A saved
 * view opens one of them and nothing else: a stored `path` such as `//evil.example/phish` would be a
 * link to another host, so lib/server/views.ts refuses it and the saved-views panel never links it.
 */
export const APP_PAGES = ['/', '/operation', '/errors', '/upload', '/map', '/quality', '/llm'] as const;

/**
 * Pages under a dynamic segment, such as a frozen snapshot `/s/[id]`: real pages, but no fixed path a
 * saved view could open, so `isAppPage` refuses them (`app-pages.test.ts` checks both lists against app/).
 */
export const DYNAMIC_APP_PAGES = ['/s/[id]'] as const;

export type AppPage = (typeof APP_PAGES)[number];

export function isAppPage(path: unknown): path is AppPage {
  return typeof path === 'string' && (APP_PAGES as readonly string[]).includes(path);
}

import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from './_components/providers';
import { SiteNav } from './_components/site-nav';
import './globals.css';

export const metadata: Metadata = {
  title: 'Spanlens',
  description: 'Metrics from the traces already in Jaeger',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
          Skip to content
        </a>
        <Providers>
          <SiteNav />
          <main id="main" className="mx-auto max-w-screen-2xl px-4 py-4">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}

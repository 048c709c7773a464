'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { makeQueryClient } from '@/lib/api-client/query-client';

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session (not per render), as react-query's App Router guide does.
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

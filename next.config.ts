import type { NextConfig } from 'next';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants';
import { getEnv } from './lib/env';

// Fails `next dev|build|start` with a readable message when the environment is wrong.
getEnv();

/**
 * The page's own origin for everything. Scripts need 'unsafe-inline': the App Router streams its
 * payload in inline <script>s and a nonce would make every page dynamic (Next's CSP guide); what a page
 * shows from Jaeger is rendered as text only (design §9), so there is no markup to inject into. React
 * needs 'unsafe-eval' in `next dev` only (server error stacks), and dev's HMR a websocket.
 */
function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export default function config(phase: string): NextConfig {
  const securityHeaders = [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(phase === PHASE_DEVELOPMENT_SERVER) },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'same-origin' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
  ];
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    serverExternalPackages: ['undici'],
    async headers() {
      return [{ source: '/:path*', headers: securityHeaders }];
    },
  };
}

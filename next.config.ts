import type { NextConfig } from 'next';
import { getEnv } from './lib/env';

// Fails `next dev|build|start` with a readable message when the environment is wrong.
getEnv();

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ['undici'],
};

export default nextConfig;

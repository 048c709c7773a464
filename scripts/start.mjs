// `npm start` / `npm run dev`: `next start|dev -H $HOST -p $PORT`, HOST defaulting to 127.0.0.1 (loopback
// only, design §9) and PORT to 3000, both validated by lib/env.ts first, so a bad value stops with its
// sentence instead of a listen error. Arguments after the mode go to next as they are; no shell is involved.
// Node's HTTP parser refuses request headers over 16 KB with 431 before Next or our code runs, and a
// drill-down URL for a 10,000-character operation (the longest name the URL grammar takes) is ~20 KB, so
// the server gets 64 KB through NODE_OPTIONS (Next's CLI starts further node processes; they inherit it).
// A --max-http-header-size already in NODE_OPTIONS comes later and so wins.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const [mode, ...rest] = process.argv.slice(2);
if (mode !== 'start' && mode !== 'dev') {
  console.error('usage: node scripts/start.mjs start|dev [more next options]');
  process.exit(2);
}

let env;
try {
  env = (await import('../lib/env.ts')).getEnv();
} catch (error) {
  if (error instanceof Error && error.name === 'InvalidEnvironmentError') {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const next = createRequire(import.meta.url).resolve('next/dist/bin/next');
const NODE_OPTIONS = ['--max-http-header-size=65536', process.env.NODE_OPTIONS].filter(Boolean).join(' ');
const child = spawn(process.execPath, [next, mode, '-H', env.HOST, '-p', String(env.PORT), ...rest], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS },
});

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const signal of signals) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal === null) process.exit(code ?? 1);
  for (const name of signals) process.removeAllListeners(name);
  process.kill(process.pid, signal);
});

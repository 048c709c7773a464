'use client';

// The same boundary as the root segment's, kept per segment so a failure here leaves the shell standing.
export { default } from '../error';

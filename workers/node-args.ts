/**
 * Node flags the worker process runs with (`npm start`'s supervisor, `npm run worker`,
 * `npm run bench:import`). A bounded heap makes V8 collect sooner: a 100,000-row import then peaks
 * near 230 MB of RSS instead of 420 MB, for about 15% more time (ADR 0021). Certificate PDFs
 * render within it (the CJK fonts are buffers outside the heap).
 */
export const WORKER_NODE_ARGS = ['--max-old-space-size=160', '--max-semi-space-size=8']

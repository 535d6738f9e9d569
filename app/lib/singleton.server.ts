/**
 * One instance per process, whoever imports the module. The web process loads app modules twice:
 * once through the Remix build (build/server/index.js bundles its own copy) and once through the
 * fast path (app/http, imported by app/server.ts). Module-level `let x` would then exist twice —
 * two pools, two key caches — so process-wide things are remembered on globalThis by name
 * (as in the Epic Stack's app/utils/singleton.server.ts).
 */
const registry = ((globalThis as { __xueshiSingletons?: Map<string, unknown> }).__xueshiSingletons ??= new Map<string, unknown>())

export function singleton<T>(name: string, create: () => T): T {
  if (!registry.has(name)) registry.set(name, create())
  return registry.get(name) as T
}

/** Forgets a singleton (after closing it), so the next `singleton(name, …)` creates a new one. */
export function forgetSingleton(name: string): void {
  registry.delete(name)
}

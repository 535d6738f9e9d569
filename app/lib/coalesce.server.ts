/**
 * Coalescing for hot database calls made by many concurrent requests. While one batch is in
 * flight, the calls that arrive wait; when it returns, they all go together as the next batch.
 * At low load a call runs at once (no timer, no added latency); under load N calls cost about one
 * round trip instead of N. Each caller gets back exactly the results for its own items, or the
 * batch's error. Used for the credit check's people read and its records (group commit, ADR 0007).
 */
export function coalescing<I, O>(run: (items: I[]) => Promise<O[]>, maxItems = 1000): (items: I[]) => Promise<O[]> {
  type Call = { items: I[]; resolve: (out: O[]) => void; reject: (e: unknown) => void }
  const pending: Call[] = []
  let running = false

  async function drain() {
    running = true
    while (pending.length) {
      // Whole calls only, up to maxItems items (a single larger call still goes alone).
      let n = 0
      let count = 0
      while (n < pending.length && (n === 0 || count + pending[n]!.items.length <= maxItems)) count += pending[n++]!.items.length
      const batch = pending.splice(0, n)
      try {
        const out = await run(batch.flatMap((c) => c.items))
        if (out.length !== count) throw new Error(`coalesced batch returned ${out.length} results for ${count} items`)
        let at = 0
        for (const c of batch) {
          c.resolve(out.slice(at, at + c.items.length))
          at += c.items.length
        }
      } catch (e) {
        for (const c of batch) c.reject(e)
      }
    }
    running = false
  }

  return (items) =>
    items.length === 0
      ? Promise.resolve([])
      : new Promise<O[]>((resolve, reject) => {
          pending.push({ items, resolve, reject })
          if (!running) void drain()
        })
}

/** One coalescer per key object (e.g. per database handle), made on first use. */
export function coalescingPer<K extends object, I, O>(
  make: (key: K) => (items: I[]) => Promise<O[]>,
): (key: K, items: I[]) => Promise<O[]> {
  const byKey = new WeakMap<K, (items: I[]) => Promise<O[]>>()
  return (key, items) => {
    let f = byKey.get(key)
    if (!f) {
      f = make(key)
      byKey.set(key, f)
    }
    return f(items)
  }
}

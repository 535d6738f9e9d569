import { describe, expect, test } from 'vitest'

import { coalescing } from '#app/lib/coalesce.server.ts'

describe('coalescing', () => {
  test('the first call runs at once; calls made meanwhile share the next batch; each gets its own results', async () => {
    const batches: number[][] = []
    let release: () => void = () => undefined
    const run = coalescing(async (items: number[]) => {
      batches.push(items)
      if (batches.length === 1) await new Promise<void>((r) => (release = r))
      return items.map((i) => i * 10)
    })
    const first = run([1])
    const second = run([2, 3])
    const third = run([4])
    expect(batches).toEqual([[1]])
    release()
    expect(await first).toEqual([10])
    expect(await second).toEqual([20, 30])
    expect(await third).toEqual([40])
    expect(batches).toEqual([[1], [2, 3, 4]])
  })

  test('a batch error reaches every call of that batch only; later calls run', async () => {
    let fail = true
    let release: () => void = () => undefined
    const run = coalescing(async (items: string[]) => {
      if (items[0] === 'slow') await new Promise<void>((r) => (release = r))
      if (fail && items.includes('bad')) throw new Error('boom')
      return items
    })
    const slow = run(['slow'])
    const a = run(['ok'])
    const b = run(['bad'])
    release()
    await expect(slow).resolves.toEqual(['slow'])
    await expect(a).rejects.toThrow('boom')
    await expect(b).rejects.toThrow('boom')
    fail = false
    await expect(run(['bad'])).resolves.toEqual(['bad'])
  })

  test('batches stay within maxItems by whole calls; an empty call costs nothing', async () => {
    const sizes: number[] = []
    let release: () => void = () => undefined
    const run = coalescing(async (items: number[]) => {
      sizes.push(items.length)
      if (sizes.length === 1) await new Promise<void>((r) => (release = r))
      return items
    }, 3)
    const calls = [run([0]), run([1, 2]), run([3, 4]), run([5, 6, 7, 8]), run([])]
    release()
    await Promise.all(calls)
    expect(sizes).toEqual([1, 2, 2, 4])
    expect(await calls[4]).toEqual([])
  })

  test('a run that returns the wrong number of results fails loudly', async () => {
    const run = coalescing(async (items: number[]) => items.slice(1))
    await expect(run([1, 2])).rejects.toThrow('returned 1 results for 2 items')
  })
})

/**
 * The indexed heap behind the cache's single timer and its eviction order, against a sorted array.
 */
import { describe, expect, it } from 'vitest'
import { IndexedHeap } from '../../../../main/discovery/cache/heap'
import { seededRandom } from '../wire/fixtures'

interface Item {
  id: number
  key: number
  heapSlots: number[]
}

describe('IndexedHeap', () => {
  it('yields the smallest item after any mix of inserts, key changes and removals', () => {
    const random = seededRandom(7)
    const before = (x: Item, y: Item) => x.key < y.key || (x.key === y.key && x.id < y.id)
    const heap = new IndexedHeap<Item>(1, before)
    const live = new Map<number, Item>()
    const mismatches: number[] = []
    for (let step = 0; step < 5000; step++) {
      const id = Math.floor(random() * 300)
      const item = live.get(id)
      const op = random()
      if (!item) {
        const created = { id, key: Math.floor(random() * 1000), heapSlots: [-1, -1] }
        live.set(id, created)
        heap.update(created)
      } else if (op < 0.5) {
        item.key = Math.floor(random() * 1000)
        heap.update(item)
      } else {
        live.delete(id)
        heap.remove(item)
        heap.remove(item) // twice is harmless
      }
      let smallest: Item | undefined
      for (const candidate of live.values()) if (!smallest || before(candidate, smallest)) smallest = candidate
      if (heap.size !== live.size || heap.peek() !== smallest) mismatches.push(step)
    }
    expect(mismatches).toEqual([])
    heap.clear()
    expect([heap.size, heap.peek(), [...live.values()].every((item) => item.heapSlots[1] === -1)]).toEqual([0, undefined, true])
  })
})

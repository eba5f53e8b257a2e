/**
 * A binary min-heap whose items remember their position, so one can be moved or removed in O(log n).
 * The cache keeps two over the same entries (next deadline; eviction order), hence a slot per heap.
 */

/** An item that can sit in several heaps: `heapSlots[slot]` is its index there, -1 when absent. */
export interface HeapItem {
  heapSlots: number[]
}

/** A min-heap ordered by `before`, tracking positions in `item.heapSlots[slot]`. */
export class IndexedHeap<T extends HeapItem> {
  readonly #items: T[] = []

  constructor(
    private readonly slot: number,
    private readonly before: (a: T, b: T) => boolean,
  ) {}

  /** How many items are in the heap. */
  get size(): number {
    return this.#items.length
  }

  /** The first item, without removing it. */
  peek(): T | undefined {
    return this.#items[0]
  }

  /** Inserts the item, or restores order after its key changed. */
  update(item: T): void {
    const at = this.#position(item)
    if (at < 0) {
      this.#items.push(item)
      this.#place(item, this.#items.length - 1)
      this.#up(this.#items.length - 1)
    } else if (!this.#up(at)) {
      this.#down(at)
    }
  }

  /** Takes the item out; nothing happens if it is not in. */
  remove(item: T): void {
    const at = this.#position(item)
    if (at < 0) return
    item.heapSlots[this.slot] = -1
    const last = this.#items.pop()
    if (last === undefined || last === item) return
    this.#place(last, at)
    if (!this.#up(at)) this.#down(at)
  }

  /** Empties the heap. */
  clear(): void {
    for (const item of this.#items) item.heapSlots[this.slot] = -1
    this.#items.length = 0
  }

  #position(item: T): number {
    const at = item.heapSlots[this.slot] ?? -1
    return this.#items[at] === item ? at : -1
  }

  #place(item: T, at: number): void {
    this.#items[at] = item
    item.heapSlots[this.slot] = at
  }

  /** Moves the item at `at` towards the root while it sorts first; true if it moved. */
  #up(at: number): boolean {
    const item = this.#items[at]
    if (item === undefined) return false
    let index = at
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = this.#items[parentIndex]
      if (parent === undefined || !this.before(item, parent)) break
      this.#place(parent, index)
      index = parentIndex
    }
    this.#place(item, index)
    return index !== at
  }

  #down(at: number): void {
    const item = this.#items[at]
    if (item === undefined) return
    let index = at
    for (;;) {
      const left = 2 * index + 1
      const right = left + 1
      let child = this.#items[left]
      let childIndex = left
      const other = this.#items[right]
      if (other !== undefined && child !== undefined && this.before(other, child)) [child, childIndex] = [other, right]
      if (child === undefined || !this.before(child, item)) break
      this.#place(child, index)
      index = childIndex
    }
    this.#place(item, index)
  }
}

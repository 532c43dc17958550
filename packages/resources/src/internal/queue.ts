/** A FIFO queue on an array with a moving head: O(1) push and shift without `Array#shift`. */
export class Queue<T> {
  private items: Array<T | undefined> = []
  private head = 0

  /** Number of queued items. */
  get length(): number {
    return this.items.length - this.head
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    this.items.push(item)
  }

  /** The front item, without removing it. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined
  }

  /** Removes and returns the front item. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined
    const item = this.items[this.head]
    this.items[this.head++] = undefined
    if (this.head === this.items.length) {
      this.items.length = 0
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }

  /** Removes and returns every item, front first. */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[]
    this.items = []
    this.head = 0
    return out
  }
}

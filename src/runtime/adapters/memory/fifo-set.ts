/**
 * Ids in arrival order with O(1) add, delete and first. A plain Set is ordered too, but taking its first
 * item walks over every deleted slot before it, so draining a long queue from the front is quadratic.
 * Here a delete only drops the id's place; the order array skips stale places lazily and is compacted as
 * it drains. An id deleted and added again goes to the back, as it would in a Set.
 */
export class FifoSet {
  private order: string[] = []
  /** Places dropped from the front of `order` by compaction, so places stay absolute. */
  private dropped = 0
  private head = 0
  /** Each member's place in `order`; an entry of `order` elsewhere is stale. */
  private readonly places = new Map<string, number>()

  get size(): number {
    return this.places.size
  }

  add(id: string): this {
    if (!this.places.has(id)) {
      this.places.set(id, this.dropped + this.order.length)
      this.order.push(id)
    }
    return this
  }

  delete(id: string): boolean {
    return this.places.delete(id)
  }

  first(): string | undefined {
    while (this.head < this.order.length && this.places.get(this.order[this.head]!) !== this.dropped + this.head)
      this.head++
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head)
      this.dropped += this.head
      this.head = 0
    }
    return this.order[this.head]
  }
}

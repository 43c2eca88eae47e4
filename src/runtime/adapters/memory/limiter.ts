/** The starts of one queue over the last window, shared by all its workers in this process. */
export class StartLimiter {
  private starts: number[] = []

  /** Records a start at `now` and returns 0, or returns the ms to wait until a start is allowed. */
  admit(limit: { max: number, duration: number }, now: number): number {
    while (this.starts.length > 0 && this.starts[0] <= now - limit.duration)
      this.starts.shift()
    if (this.starts.length < limit.max) {
      this.starts.push(now)
      return 0
    }
    return this.starts[this.starts.length - limit.max] + limit.duration - now
  }
}

/**
 * A run's waterfall as plain numbers: each step's spans (waiting on an await, queued, running) and failed
 * attempts, on one scale from the run's start to its end (or now). The view only turns them into bars.
 */
import type { StepDetail } from '../../../src/runtime/types/monitor'
import type { RunEvent, RunRecord } from '../../../src/runtime/types/run'

export interface TimelineSpan {
  kind: 'await' | 'queued' | 'run'
  from: number
  to: number
}

export interface TimelineRow {
  step: StepDetail
  /** Empty for a step reused from the run this one reruns: its times are that run's. */
  spans: TimelineSpan[]
  /** Each failed attempt, where it failed. */
  retries: Array<{ at: number, attempt: number, message: string }>
}

export interface Timeline {
  start: number
  end: number
  rows: TimelineRow[]
}

export function buildTimeline(run: RunRecord, steps: StepDetail[], events: RunEvent[], now: number): Timeline {
  // `startedAt` is the last attempt's start; the log tells when the first began.
  const firstStart = new Map<string, number>()
  for (const event of events) {
    if (event.type === 'step.started' && event.step && !firstStart.has(event.step))
      firstStart.set(event.step, event.ts)
  }
  const until = run.finishedAt ?? now
  const rows = steps.map(step => ({
    step,
    spans: step.reused ? [] : spansOf(step, firstStart.get(step.name) ?? step.startedAt, until),
    retries: (step.errors ?? []).map(error => ({ at: error.at, attempt: error.attempt, message: error.message })),
  }))
  const end = Math.max(until, ...rows.flatMap(row => row.spans.map(span => span.to)))
  return { start: run.createdAt, end, rows }
}

function spansOf(step: StepDetail, started: number | undefined, until: number): TimelineSpan[] {
  const spans: TimelineSpan[] = []
  const wait = step.await
  const end = step.finishedAt ?? until
  if (wait?.phase === 'before')
    spans.push({ kind: 'await', from: wait.registeredAt, to: wait.resolvedAt ?? end })
  // A resolved `before` await queues the step at its resolution; timed out or rejected, the step never queued.
  const queued = wait?.phase !== 'before' || (wait.resolvedAt !== undefined && step.queuedAt >= wait.resolvedAt)
  if (queued)
    spans.push({ kind: 'queued', from: step.queuedAt, to: started ?? end })
  if (started !== undefined)
    spans.push({ kind: 'run', from: started, to: wait?.phase === 'after' ? wait.registeredAt : end })
  if (wait?.phase === 'after')
    spans.push({ kind: 'await', from: wait.registeredAt, to: wait.resolvedAt ?? end })
  return spans
}

/** Milliseconds spent in spans of `kind`. */
export function spent(row: TimelineRow, kind: TimelineSpan['kind']): number {
  return row.spans.filter(span => span.kind === kind).reduce((sum, span) => sum + span.to - span.from, 0)
}

/** `at` as a percentage of the timeline's width. */
export function position(timeline: Timeline, at: number): number {
  const width = Math.max(1, timeline.end - timeline.start)
  return Math.min(100, Math.max(0, ((at - timeline.start) / width) * 100))
}

/** Whether the step waits on an await that is still open (what approve, reject and resume act on). */
export function isAwaitOpen(step: StepDetail): boolean {
  return step.status === 'awaiting' && step.await !== undefined && step.await.outcome === undefined
}

/** The step a detail view opens on: the one that needs attention, else the latest to start. */
export function focusStep(steps: StepDetail[]): StepDetail | undefined {
  return steps.find(isAwaitOpen)
    ?? steps.find(step => step.status === 'failed')
    ?? steps.find(step => step.status === 'running' || step.status === 'retrying')
    ?? steps.at(-1)
}

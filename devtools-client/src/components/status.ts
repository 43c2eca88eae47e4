/** Colours of run, step and job states, one place for badges, graph nodes and timeline bars. */
export interface StatusColor {
  badge: string
  dot: string
  /** A node's or a bar's fill and border. */
  fill: string
}

const colors: Record<string, StatusColor> = {
  queued: { badge: 'bg-gray-100 text-gray-700 dark:bg-neutral-800 dark:text-neutral-300', dot: 'bg-gray-400', fill: 'bg-gray-100 border-gray-400 dark:bg-neutral-800' },
  running: { badge: 'bg-blue-100 text-blue-700 dark:bg-blue-950 dark:text-blue-300', dot: 'bg-blue-500 animate-pulse', fill: 'bg-blue-50 border-blue-500 dark:bg-blue-950' },
  retrying: { badge: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300', dot: 'bg-amber-500', fill: 'bg-amber-50 border-amber-500 dark:bg-amber-950' },
  awaiting: { badge: 'bg-violet-100 text-violet-700 dark:bg-violet-950 dark:text-violet-300', dot: 'bg-violet-500', fill: 'bg-violet-50 border-violet-500 dark:bg-violet-950' },
  completed: { badge: 'bg-emerald-100 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300', dot: 'bg-emerald-500', fill: 'bg-emerald-50 border-emerald-500 dark:bg-emerald-950' },
  failed: { badge: 'bg-red-100 text-red-700 dark:bg-red-950 dark:text-red-300', dot: 'bg-red-500', fill: 'bg-red-50 border-red-500 dark:bg-red-950' },
  canceled: { badge: 'bg-gray-200 text-gray-600 dark:bg-neutral-800 dark:text-neutral-400', dot: 'bg-gray-500', fill: 'bg-gray-100 border-gray-500 dark:bg-neutral-800' },
  stalled: { badge: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300', dot: 'bg-orange-500', fill: 'bg-orange-50 border-orange-500 dark:bg-orange-950' },
}
colors.waiting = colors.queued!
colors.delayed = colors.awaiting!
colors.active = colors.running!

/** The colours of `status`; an unknown one looks queued. */
export function statusColor(status: string): StatusColor {
  return colors[status] ?? colors.queued!
}

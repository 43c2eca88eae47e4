// The interim DevTools tab (dev only): read views plus start and cancel actions.
import { defineEventHandler, getQuery, sendRedirect, setResponseHeader } from 'h3'
import { useNvent } from '../../nvent'
import { missingRun, overview, page, runDetail } from './render'

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#3b82f6" d="M4 6h6v4H4zm10 0h6v4h-6zM9 14h6v4H9zM7 10v2h10v-2h-2v1H9v-1z"/></svg>'

export default defineEventHandler(async (event) => {
  const nvent = useNvent()
  const path = event.path.split('?')[0]!
  const base = path.slice(0, path.indexOf('/__nvent__/devtools/') + '/__nvent__/devtools/'.length)
  const action = path.slice(base.length)
  const query = getQuery(event) as Record<string, string | undefined>

  if (action === 'icon.svg') {
    setResponseHeader(event, 'content-type', 'image/svg+xml')
    return ICON
  }
  if (event.method === 'POST' && action === 'start' && query.flow) {
    const { runId } = await nvent.flow.start(query.flow, {})
    return sendRedirect(event, `${base}index?run=${encodeURIComponent(runId)}`, 303)
  }
  if (event.method === 'POST' && action === 'cancel' && query.run) {
    await nvent.flow.cancel(query.run)
    return sendRedirect(event, `${base}index?run=${encodeURIComponent(query.run)}`, 303)
  }
  if (event.method === 'POST' && action === 'fire' && query.trigger) {
    const { runIds } = await nvent.triggers.fire(query.trigger, {})
    return sendRedirect(event, runIds[0] ? `${base}index?run=${encodeURIComponent(runIds[0])}` : `${base}index`, 303)
  }
  if (event.method === 'POST' && (action === 'resolve' || action === 'reject') && query.run && query.step) {
    await (action === 'resolve' ? nvent.awaits.resolve(query.run, query.step, {}) : nvent.awaits.reject(query.run, query.step, 'rejected in DevTools'))
    return sendRedirect(event, `${base}index?run=${encodeURIComponent(query.run)}`, 303)
  }
  setResponseHeader(event, 'content-type', 'text/html; charset=utf-8')
  if (query.run) {
    const run = await nvent.flow.getRun(query.run)
    if (!run)
      return page('Nvent', missingRun(base, query.run), false)
    return page(`Nvent · ${run.flowName}`, runDetail(base, run, await nvent.flow.events(run.id, { limit: 1000 })), run.status === 'running')
  }
  const flows = await Promise.all(Object.values(nvent.registry.flows).map(async (flow) => {
    const { items, total } = await nvent.flow.listRuns(flow.name, { limit: 10 })
    return { flow, runs: items, total }
  }))
  const queues = await Promise.all(nvent.queue.names().map(async name => ({ name, counts: await nvent.queue.counts(name) })))
  return page('Nvent', overview(base, flows, queues, await nvent.triggers.list()))
})

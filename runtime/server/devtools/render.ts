/**
 * HTML of the interim Nvent DevTools tab: flows, queues, runs and a run's timeline, rendered on the
 * server. The Vue client (devtools-client/) replaces it; until then it keeps the tab useful in dev.
 */
import type { JobCounts } from '../../contracts/queue'
import type { RegistryFlow } from '../../types/registry'
import type { RunEvent, RunRecord } from '../../types/run'
import type { TriggerInfo } from '../../types/trigger'

const escape = (value: unknown) => String(value).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
const time = (ms?: number) => ms ? new Date(ms).toISOString().slice(11, 23) : ''
const json = (value: unknown) => value === undefined ? '' : escape(JSON.stringify(value))

const STYLE = `body{font:13px system-ui,sans-serif;margin:0;padding:12px 16px;color:#222;background:#fff}
@media(prefers-color-scheme:dark){body{color:#ddd;background:#151515}a{color:#7ab7ff}}
table{border-collapse:collapse;width:100%;margin:6px 0 14px}td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #8883;vertical-align:top}
.s{padding:1px 6px;border-radius:8px;background:#8882}.completed{color:#2a2}.failed,.stalled{color:#d33}.running{color:#37f}.canceled{color:#a80}
code{font-size:12px}h1{font-size:16px}h2{font-size:14px;margin:14px 0 4px}form{display:inline}`

export function page(title: string, body: string, refresh = true): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title>${refresh ? '<meta http-equiv="refresh" content="2">' : ''}<style>${STYLE}</style></head><body>${body}</body></html>`
}

const status = (s: string) => `<span class="s ${escape(s)}">${escape(s)}</span>`

const post = (action: string, label: string) => `<form method="post" action="${action}"><button>${escape(label)}</button></form>`

function triggerTable(base: string, triggers: TriggerInfo[]): string {
  const rows = triggers.map(t => `<tr><td>${escape(t.displayName)}</td><td>${escape(t.type)}</td><td>${t.enabled ? 'enabled' : 'disabled'}</td>
<td>${escape(t.subscribers.map(s => s.flow).join(', '))}</td><td>${t.nextFireAt ? new Date(t.nextFireAt).toISOString() : ''}</td>
<td>${t.enabled ? post(`${base}fire?trigger=${encodeURIComponent(t.name)}`, 'Fire') : ''}</td></tr>`).join('')
  return rows ? `<h2>Triggers</h2><table><tr><th>trigger</th><th>type</th><th></th><th>starts</th><th>next tick</th><th></th></tr>${rows}</table>` : ''
}

export function overview(base: string, flows: { flow: RegistryFlow, runs: RunRecord[], total: number }[], queues: { name: string, counts: JobCounts }[], triggers: TriggerInfo[]): string {
  const flowSections = flows.map(({ flow, runs, total }) => `
<h2>${escape(flow.name)} <small>(${total} runs)</small>
<form method="post" action="${base}start?flow=${encodeURIComponent(flow.name)}"><button data-start="${escape(flow.name)}">Start</button></form></h2>
<div>${Object.values(flow.steps).map(s => `<code>${escape(s.name)}</code>${s.subscribes.length ? ` ← ${s.subscribes.map(escape).join(' + ')}` : ' (entry)'}`).join(' · ')}</div>
<table>${runs.map(r => `<tr><td><a href="${base}index?run=${encodeURIComponent(r.id)}">${escape(r.id.slice(0, 8))}</a></td><td>${status(r.status)}</td><td>${time(r.createdAt)}</td><td>${escape(r.error ?? '')}</td></tr>`).join('')}</table>`).join('')
  const queueRows = queues.map(q => `<tr><td>${escape(q.name)}</td>${Object.values(q.counts).map(n => `<td>${n}</td>`).join('')}</tr>`).join('')
  return `<h1>Nvent</h1>${flowSections || '<p>No flows in server/functions yet.</p>'}${triggerTable(base, triggers)}
<h2>Queues</h2><table><tr><th>queue</th><th>waiting</th><th>delayed</th><th>active</th><th>completed</th><th>failed</th></tr>${queueRows}</table>`
}

export function runDetail(base: string, run: RunRecord, events: RunEvent[]): string {
  const awaitActions = (step: string) => ['resolve', 'reject'].map(action => post(`${base}${action}?run=${encodeURIComponent(run.id)}&step=${encodeURIComponent(step)}`, action === 'resolve' ? 'Resolve' : 'Reject')).join(' ')
  const steps = Object.entries(run.steps).map(([name, s]) => `<tr><td>${escape(name)}</td><td>${status(s.status)}${s.await ? ` <small>${escape(`${s.await.type} await ${s.await.phase}`)}</small>` : ''}</td><td>${s.attempt}</td>
<td>${escape(s.error ?? '')}${s.status === 'awaiting' && !s.await?.outcome ? awaitActions(name) : ''}</td></tr>`).join('')
  const timeline = events.map(e => `<tr><td>${time(e.ts)}</td><td><code>${escape(e.type)}</code></td><td>${escape(e.step ?? '')}</td><td><code>${json(e.data)}</code></td></tr>`).join('')
  const cancel = run.status === 'running' ? post(`${base}cancel?run=${encodeURIComponent(run.id)}`, 'Cancel') : ''
  return `<p><a href="${base}index">← all flows</a></p><h1>${escape(run.flowName)} <code>${escape(run.id)}</code> ${status(run.status)} ${cancel}</h1>
${run.error ? `<p class="failed">${escape(run.error)}</p>` : ''}<h2>Steps</h2><table>${steps}</table><h2>Timeline</h2><table>${timeline}</table>`
}

export function missingRun(base: string, runId: string): string {
  return `<p>No run <code>${escape(runId)}</code>. <a href="${base}index">Back</a></p>`
}

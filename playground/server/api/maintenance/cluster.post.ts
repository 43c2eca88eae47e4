// The reindex flow's outside world: `POST /api/maintenance/cluster` with `{ "writable": true }` makes the
// search cluster writable, so a failed reindex run can be rerun from its failed step (DevTools' "Rerun
// from failed step") and complete without running its first step again.
export default defineEventHandler(async (event) => {
  const { writable } = await jsonBody<{ writable?: unknown }>(event) ?? {}
  if (typeof writable !== 'boolean') {
    setResponseStatus(event, 400)
    return { error: 'send { "writable": true | false }' }
  }
  await useStorage().setItem('maintenance:cluster-writable', writable)
  return { writable }
})

// Changes a trigger: any of enabled, config, flows, displayName, description.
import type { TriggerChanges } from '../../../../../src/runtime/types/trigger'

const FIELDS = ['enabled', 'config', 'flows', 'displayName', 'description']

export default defineEventHandler(async (event) => {
  const body = await jsonBody<TriggerChanges & Record<string, unknown>>(event)
  if (!isObject(body))
    badRequest(`the body must be an object with any of ${FIELDS.join(', ')}`)
  const unknown = Object.keys(body).filter(key => !FIELDS.includes(key))
  if (unknown.length)
    badRequest(`unknown fields ${unknown.join(', ')} (allowed: ${FIELDS.join(', ')})`)
  if (body.enabled !== undefined && typeof body.enabled !== 'boolean')
    badRequest('enabled must be true or false')
  if (body.config !== undefined && !isObject(body.config))
    badRequest('config must be an object')
  return withStatus(() => useNvent().triggers.update(getRouterParam(event, 'name')!, body))
})

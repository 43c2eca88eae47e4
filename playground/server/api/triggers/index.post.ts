// Registers a trigger at runtime; the body is a TriggerRegistration ({ name, type, flows, config, ... }).
import type { TriggerRegistration } from '../../../../src/runtime/types/trigger'

export default defineEventHandler(async (event) => {
  const body = await jsonBody<TriggerRegistration>(event)
  if (!isObject(body) || typeof body.name !== 'string' || typeof body.type !== 'string')
    badRequest('the body must be a trigger registration with a string name and type')
  setResponseStatus(event, 201)
  return withStatus(() => useNvent().triggers.register(body))
})

// {webhooks.path}/await/:token: resolves the await the token names, with the body (or a GET's query) as payload.
import { defineEventHandler, getQuery, getRouterParam } from 'h3'
import { useNvent } from '../../nvent'
import { answerWebhook } from '../webhook-body'

export default defineEventHandler((event) => {
  const nvent = useNvent()
  const token = getRouterParam(event, 'token') ?? ''
  return answerWebhook(event, nvent.options.webhooks.maxBodySize, raw => nvent.webhooks.await(token, event.method, raw, getQuery(event)))
})

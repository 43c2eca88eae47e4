// POST {webhooks.path}/webhook/:trigger: fires a webhook trigger with the JSON body as its data.
import { defineEventHandler, getHeader, getRouterParam } from 'h3'
import { useNvent } from '../../nvent'
import { answerWebhook } from '../webhook-body'

export default defineEventHandler((event) => {
  const nvent = useNvent()
  const { maxBodySize, signatureHeader } = nvent.options.webhooks
  const name = decodeURIComponent(getRouterParam(event, 'trigger') ?? '')
  return answerWebhook(event, maxBodySize, raw => nvent.webhooks.trigger(name, raw, getHeader(event, signatureHeader)))
})

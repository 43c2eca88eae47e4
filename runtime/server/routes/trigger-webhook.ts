// POST {webhooks.path}/webhook/:trigger: fires a webhook trigger with the JSON body as its data.
import { defineEventHandler, getHeader, getRouterParam, setResponseStatus } from 'h3'
import { useNvent } from '../../nvent'
import { answerWebhook } from '../webhook-body'

export default defineEventHandler((event) => {
  const nvent = useNvent()
  const { maxBodySize, signatureHeader } = nvent.options.webhooks
  let name: string
  try {
    name = decodeURIComponent(getRouterParam(event, 'trigger') ?? '')
  }
  catch {
    setResponseStatus(event, 400)
    return { error: 'the trigger name in the URL is not valid percent-encoding' }
  }
  return answerWebhook(event, maxBodySize, raw => nvent.webhooks.trigger(name, raw, getHeader(event, signatureHeader)))
})

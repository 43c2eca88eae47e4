// {webhooks.path}/webhook/:trigger: a POST fires the webhook trigger with the JSON body as its data. The
// route takes every method, so another one is answered 405 here instead of falling through to the app's pages.
import { defineEventHandler, getHeader, getRouterParam, setResponseHeader, setResponseStatus } from 'h3'
import { useNvent } from '../../nvent'
import { answerWebhook } from '../webhook-body'

export default defineEventHandler((event) => {
  if (event.method !== 'POST') {
    setResponseHeader(event, 'allow', 'POST')
    setResponseStatus(event, 405)
    return { error: `trigger webhooks answer POST, not ${event.method}` }
  }
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

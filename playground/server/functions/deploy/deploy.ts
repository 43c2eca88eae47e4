// A webhook trigger: POST /api/_nvent/webhook/deploy-hook, signed with the secret in NVENT_DEPLOY_SECRET
// (header x-nvent-signature: t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<body>">, as signWebhook makes
// it), starts this flow with the body as data.
export const config = defineFunctionConfig({
  queue: { name: 'deploys' },
  flow: {
    name: 'deploy-flow',
    role: 'entry',
    step: 'deploy',
    triggers: {
      define: { name: 'deploy-hook', type: 'webhook', scope: 'flow', displayName: 'Deploy hook' },
      config: { secretEnv: 'NVENT_DEPLOY_SECRET' },
    },
  },
})

export default defineFunction(async (input: { trigger?: { data?: { ref?: string, commit?: string } } }, ctx) => {
  const request = input.trigger?.data ?? {}
  ctx.logger.log('info', 'Deploying', request)
  await new Promise(resolve => setTimeout(resolve, 100))
  return { deployed: request.ref ?? 'main', commit: request.commit }
})

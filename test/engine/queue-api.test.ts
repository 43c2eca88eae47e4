import { describe, expect, it } from 'vitest'
import { waitFor, waitForRunEnd } from '../helpers/engine-app'
import { memoryBackend } from '../helpers/memory-backend'
import { useApps } from '../helpers/use-apps'

describe('queue API: retrying and removing jobs by hand', () => {
  const apps = useApps(memoryBackend)

  it('retries a plain function\'s failed job, which runs again', async () => {
    let calls = 0
    const app = await apps.start({ functions: { mail: { run: async () => {
      if (++calls === 1)
        throw new Error('smtp down')
      return 'sent'
    } } } })
    const id = await app.nvent.queue.enqueue('mail', { name: 'mail', data: {} })
    await waitFor(async () => (await app.nvent.queue.getJob('mail', id))?.state === 'failed', 'the failure')
    expect(await app.nvent.queue.retryJob('mail', id)).toBe(true)
    const job = await waitFor(async () => {
      const current = await app.nvent.queue.getJob('mail', id)
      return current?.state === 'completed' ? current : null
    }, 'the retried job')
    expect(job).toMatchObject({ returnValue: 'sent', attemptsMade: 1 })
  })

  it('refuses to retry a flow step\'s job, pointing to the rerun of its run, but removes it', async () => {
    const app = await apps.start({ flows: { order: [
      { step: 'ship', entry: true, run: async () => { throw new Error('no stock') } },
    ] } })
    const { runId } = await app.nvent.flow.start('order', {})
    await waitForRunEnd(app.nvent, runId)
    const [job] = await app.nvent.queue.getJobs('order', { states: ['failed'] })
    await expect(app.nvent.queue.retryJob('order', job!.id)).rejects.toMatchObject({
      name: 'NventError',
      status: 409,
      message: expect.stringContaining(`flow.rerun("${runId}", { fromFailedStep: true })`),
    })
    expect((await app.nvent.queue.getJob('order', job!.id))!.state).toBe('failed')
    expect(await app.nvent.queue.removeJob('order', job!.id)).toBe(true)
    expect(await app.nvent.queue.getJob('order', job!.id)).toBeNull()
  })
})

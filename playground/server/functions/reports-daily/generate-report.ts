// A schedule starts this flow every day at 9 (every 30 s in `npm run dev`, see server/plugins/dev-schedule.ts).
export const config = defineFunctionConfig({
  queue: { name: 'reports' },
  flow: {
    name: 'daily-report-flow',
    role: 'entry',
    step: 'generate-report',
    triggers: {
      define: {
        name: 'daily-report-schedule',
        type: 'time',
        scope: 'global',
        displayName: 'Daily Report',
        description: 'Generate daily report at 9 AM',
      },
      subscribe: ['daily-report-schedule'],
      mode: 'auto',
      config: { cron: '0 9 * * *' },
    },
  },
})

export default defineFunction(async (input: { trigger?: { data?: { scheduledAt?: number } } }, ctx) => {
  const scheduledAt = input.trigger?.data?.scheduledAt ?? Date.now()
  await new Promise(resolve => setTimeout(resolve, 200))
  ctx.logger.log('info', 'Daily report generated', { for: new Date(scheduledAt).toISOString() })
  return { generated: true, scheduledAt }
})

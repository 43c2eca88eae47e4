// In `npm run dev` the daily report would only run at 9 AM, so nobody trying the playground would see it:
// there, its schedule ticks every 30 seconds instead. Production builds keep the config's '0 9 * * *'.
// Note the change is kept in the store (file backend: .data/nvent), like any triggers.update().
export default defineNitroPlugin(() => {
  if (!import.meta.dev)
    return
  useNvent().triggers.update('daily-report-schedule', { config: { cron: '*/30 * * * * *' } })
    .catch((error: unknown) => console.warn('[playground] could not speed up daily-report-schedule:', error))
})

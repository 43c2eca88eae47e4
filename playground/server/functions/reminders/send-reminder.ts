// A time await before the step: the reminder goes out an hour after the run starts, or at once when
// DevTools' "Resume now" ends the wait (the loop a developer wants instead of waiting the hour).
export const config = defineFunctionConfig({
  queue: { name: 'reminders' },
  flow: { name: 'reminder-flow', role: 'entry', step: 'send-reminder', awaitBefore: { type: 'time', delay: 3_600_000 } },
})

export default defineFunction(async (input: { to?: string }, ctx) => {
  ctx.logger.log('info', 'Reminder sent', { to: input.to ?? 'user@example.com' })
  return { reminded: input.to ?? 'user@example.com' }
})

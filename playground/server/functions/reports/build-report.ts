// A long step that reports its progress and stops when its run is canceled (ctx.signal), from any instance.
export const config = defineFunctionConfig({
  queue: { name: 'reports' },
  flow: { name: 'report', role: 'entry', step: 'build-report' },
})

export default defineFunction(async (input: { pages?: number }, ctx) => {
  const pages = input.pages ?? 20
  for (let page = 1; page <= pages; page++) {
    if (ctx.signal.aborted) {
      ctx.logger.log('warn', 'Report canceled', { page })
      return { canceledAt: page }
    }
    ctx.logger.log('info', 'Rendering page', { page })
    ctx.progress((page - 1) / pages * 100, `page ${page} of ${pages}`)
    await new Promise(resolve => setTimeout(resolve, 500))
  }
  return { pages }
})

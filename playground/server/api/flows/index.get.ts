// Every flow of the app with its latest runs.
export default defineEventHandler(async () => {
  const nvent = useNvent()
  return Promise.all(Object.values(nvent.registry.flows).map(async flow => ({
    name: flow.name,
    entry: flow.entry,
    steps: Object.keys(flow.steps),
    runs: (await nvent.flow.listRuns(flow.name, { limit: 5 })).items,
  })))
})

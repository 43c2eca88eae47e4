// Every trigger with its state and the next tick of schedules.
export default defineEventHandler(() => useNvent().triggers.list())

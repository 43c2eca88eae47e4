// Open awaits of every flow; webhook ones carry the URL that resolves them.
export default defineEventHandler(() => useNvent().awaits.list())

// The dashboard's API (module/dashboard.ts mounts it at `<route>/api/**` when the dashboard is enabled).
import { useNvent } from '../../nvent'
import { feedOf } from '../../monitor/live-feed'
import { createDashboardApi } from '../dashboard/api-handler'
import { door, route } from '../dashboard/nitro-door'

export default createDashboardApi({
  ...door,
  route,
  reads: () => useNvent().monitor,
  feed: () => feedOf(useNvent().monitor),
})

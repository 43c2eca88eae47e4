// The dashboard's page (module/dashboard.ts mounts it at `<route>` and `<route>/**` when the dashboard is enabled).
import { page } from '#nvent/dashboard-page'
import { createDashboardPage } from '../dashboard/page-handler'
import { door, route } from '../dashboard/nitro-door'

export default createDashboardPage({ ...door, route, page })

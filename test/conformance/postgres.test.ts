import { openAdapters, removeNamespaces } from '../helpers/backend-adapters'
import { POSTGRES_URL, unreachableReason } from '../helpers/services'
import { defineServerBackend } from './server-backend'
import { runConformance } from './suite'

runConformance(defineServerBackend({
  name: 'postgres',
  skip: await unreachableReason('PostgreSQL', POSTGRES_URL),
  open: (name, options) => openAdapters('postgres', name, options),
  cleanup: names => removeNamespaces('postgres', names),
}))

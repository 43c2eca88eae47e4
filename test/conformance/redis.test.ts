import { openAdapters, removeNamespaces } from '../helpers/backend-adapters'
import { REDIS_URL, unreachableReason } from '../helpers/services'
import { defineServerBackend } from './server-backend'
import { runConformance } from './suite'

runConformance(defineServerBackend({
  name: 'redis',
  skip: await unreachableReason('Redis', REDIS_URL),
  open: (prefix, options) => openAdapters('redis', prefix, options),
  cleanup: prefixes => removeNamespaces('redis', prefixes),
}))

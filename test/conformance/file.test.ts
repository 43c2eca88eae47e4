import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openAdapters, removeNamespaces } from '../helpers/backend-adapters'
import { defineServerBackend } from './server-backend'
import { runConformance } from './suite'

runConformance(defineServerBackend({
  name: 'file',
  skip: undefined,
  namespace: () => mkdtempSync(join(tmpdir(), 'nvent-file-')),
  oneOpener: true,
  open: (dir, options) => openAdapters('file', dir, options),
  cleanup: dirs => removeNamespaces('file', dirs),
}))

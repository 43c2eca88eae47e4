import { memoryBackend } from '../helpers/memory-backend'
import { runConformance } from './suite'

runConformance(memoryBackend)

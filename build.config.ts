// Added to @nuxt/module-builder's build (`npm run build`).
import { defineBuildConfig } from 'unbuild'

export default defineBuildConfig({
  // Imported only to build the DevTools client from its sources, which exist in this repository alone.
  externals: ['vite'],
})

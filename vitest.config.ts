import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Suites that start servers or child processes share ports and the 2-core machine: one file at a time.
    fileParallelism: false,
  },
})

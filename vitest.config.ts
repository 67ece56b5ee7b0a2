import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // End-to-end tests spawn the built CLI; the default 5 s is too tight on a loaded two-core machine.
    testTimeout: 30_000,
  },
});

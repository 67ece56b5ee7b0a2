import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

// Tests compare human output; under GitHub Actions keypolicy would print annotations instead
// (test/e2e/reporters.test.ts sets GITHUB_ACTIONS itself where it wants them).
delete process.env.GITHUB_ACTIONS;

// Every test file cleans up the temporary folders it made.
afterAll(removeTempDirs);

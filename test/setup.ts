import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

// Every test file cleans up the temporary folders it made.
afterAll(removeTempDirs);

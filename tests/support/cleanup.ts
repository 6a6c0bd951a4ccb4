import { afterAll } from 'vitest';
import { killTracked } from './process.js';

// Processes a file's hooks started (servers, Redis) end with the file, even when a test that
// would have stopped them timed out (see tests/support/process.ts).
afterAll(killTracked);

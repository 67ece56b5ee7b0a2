#!/usr/bin/env node
// The CLI is built to dist/ by `npm run build`; this shell only hands over to it.
import { main } from '../dist/keypolicy.js';

process.exitCode = await main(process.argv.slice(2));

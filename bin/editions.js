#!/usr/bin/env node
// The compiled command line lives in lib/ (built by `npm ci` through the prepare script).
import { main } from '../lib/cli.js';

process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// Thin entry: the CLI is bundled in dist/bundle (built by `npm install` / `npm run build`: tsc, then scripts/bundle.mjs).
import { main } from '../dist/bundle/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`goport: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  },
);

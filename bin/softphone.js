#!/usr/bin/env node
// The CLI host, built by `npm run build` into dist/.
import '../dist/main/hosts/cli/main.js';

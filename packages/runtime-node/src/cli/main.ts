#!/usr/bin/env node
// Placeholder entry: replaced by the real CLI.
console.log('tsnomad: not yet');

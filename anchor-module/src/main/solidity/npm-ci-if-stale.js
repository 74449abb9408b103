#!/usr/bin/env node
// Runs `npm ci` in the current directory unless node_modules was installed from exactly this
// package-lock.json already. npm ci deletes node_modules first, so skipping it keeps repeated
// Maven builds fast and never removes the Anvil binary under a running test.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const { spawnSync } = require('child_process');

const STAMP = 'node_modules/.fhir-anchor-lock.sha256';

const lockDigest = crypto.createHash('sha256').update(fs.readFileSync('package-lock.json')).digest('hex');
const installed = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : '';
if (installed === lockDigest) {
  console.log('node_modules matches package-lock.json, skipping npm ci');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci'], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`npm ci failed (${result.error ? result.error.message : 'exit ' + result.status})`);
  process.exit(1);
}
fs.writeFileSync(STAMP, lockDigest + '\n');

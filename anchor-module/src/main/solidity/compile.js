#!/usr/bin/env node
// Compiles FhirAnchor.sol with the solc-js version pinned in the root package.json, through
// standard JSON so that every setting that changes the bytecode is written down here and nowhere
// else (docs/contract.md repeats them for anyone reproducing the bytecode).
//
// Usage: node compile.js <output-dir>
// Writes <output-dir>/org/fhiranchor/anchor/chain/FhirAnchor.{abi,bin,bin-runtime,input.json}.
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require('solc');

// The source name is part of the metadata hash at the end of the bytecode: keep it fixed.
const SOURCE_NAME = 'FhirAnchor.sol';
const CONTRACT_NAME = 'FhirAnchor';
const RESOURCE_PACKAGE = path.join('org', 'fhiranchor', 'anchor', 'chain');
const EXPECTED_SOLC = '0.8.37';

function main() {
  const outputRoot = process.argv[2];
  if (!outputRoot) {
    console.error('usage: node compile.js <output-dir>');
    process.exit(2);
  }
  const version = solc.version();
  if (!version.startsWith(EXPECTED_SOLC + '+')) {
    throw new Error(`solc ${EXPECTED_SOLC} expected, found ${version}: run npm ci at the repository root`);
  }

  const source = fs.readFileSync(path.join(__dirname, SOURCE_NAME), 'utf8');
  const input = {
    language: 'Solidity',
    sources: { [SOURCE_NAME]: { content: source } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      // paris: no PUSH0, so chains on pre-Shanghai forks (many private and L2 chains) accept it.
      evmVersion: 'paris',
      viaIR: false,
      metadata: { bytecodeHash: 'ipfs' },
      outputSelection: {
        [SOURCE_NAME]: { [CONTRACT_NAME]: ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] },
      },
    },
  };

  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const problems = output.errors || [];
  for (const p of problems) console.error(p.formattedMessage || p.message);
  // Warnings fail the build too: an auditable contract compiles cleanly.
  if (problems.length > 0) process.exit(1);

  const contract = output.contracts[SOURCE_NAME][CONTRACT_NAME];
  const outputDir = path.join(outputRoot, RESOURCE_PACKAGE);
  fs.mkdirSync(outputDir, { recursive: true });
  const write = (name, text) => fs.writeFileSync(path.join(outputDir, name), text);
  write(`${CONTRACT_NAME}.abi`, JSON.stringify(contract.abi, null, 2) + '\n');
  // No trailing newline in .bin files: web3j codegen copies the file verbatim into the wrapper.
  write(`${CONTRACT_NAME}.bin`, contract.evm.bytecode.object);
  write(`${CONTRACT_NAME}.bin-runtime`, contract.evm.deployedBytecode.object);
  // The exact compiler input, so anyone can reproduce the bytecode with any solc 0.8.37 build.
  write(`${CONTRACT_NAME}.input.json`, JSON.stringify(input, null, 2) + '\n');
  console.log(`compiled ${SOURCE_NAME} with solc ${version}: ` +
    `${contract.evm.bytecode.object.length / 2} bytes creation, ` +
    `${contract.evm.deployedBytecode.object.length / 2} bytes runtime -> ${outputDir}`);
}

main();

// The auditor console: checkpoints over time (from $checkpoints, each root re-read from the contract),
// consistency between two checkpoints verified in the browser, the audit sweep, the access log.
import { h, replace, notice, date, announce } from '../dom.js';
import * as fhir from '../fhir.js';
import * as trust from '../trust.js';
import { lineChart } from '../chart.js';
import { auditTable, isBreakGlass } from './access-log.js';
import { checkpointsOf, consistencyOf, verifyConsistency, param, params, valueOf, equalBytes, toHex } from '../../verifier/index.js';

/** @param {HTMLElement} root */
export async function renderAuditor(root) {
  const checkpointsPart = h('section', { class: 'card', 'aria-labelledby': 'cp-h' }, h('h3', { id: 'cp-h' }, 'Checkpoints over time'), h('p', { class: 'loading' }, 'Loading…'));
  const consistencyPart = h('section', { class: 'card', 'aria-labelledby': 'cons-h' }, h('h3', { id: 'cons-h' }, 'Consistency between two checkpoints'));
  const sweepPart = h('section', { class: 'card', 'aria-labelledby': 'sweep-h' }, h('h3', { id: 'sweep-h' }, 'Audit sweep'));
  const logPart = h('section', { class: 'card', 'aria-labelledby': 'log-h' }, h('h3', { id: 'log-h' }, 'Access log search'));
  replace(root, h('h2', {}, 'Auditor console'),
    h('p', { class: 'intro' }, 'Every root shown here is read again from the contract by this page; the server is only asked for proofs.'),
    checkpointsPart, consistencyPart, sweepPart, logPart);
  renderSweep(sweepPart);
  renderLogSearch(logPart);
  const checkpoints = await renderCheckpoints(checkpointsPart);
  renderConsistency(consistencyPart, checkpoints);
}

/** @param {HTMLElement} part */
async function renderCheckpoints(part) {
  const heading = part.firstChild;
  /** @type {ReturnType<typeof checkpointsOf>} */
  let all = [];
  try {
    let after = 0;
    for (let page = 0; page < 20; page++) {
      const list = checkpointsOf(await fhir.get(`$checkpoints?after=${after}&_count=500`));
      all = all.concat(list);
      if (list.length < 500) break;
      after = list[list.length - 1].treeSize;
    }
  } catch (e) {
    replace(part, heading, notice('warn', `Checkpoints are not available to this sign-in: ${/** @type {Error} */ (e).message}`));
    return [];
  }
  const anchored = all.filter((c) => c.status === 'anchored');
  let chain;
  try {
    chain = await trust.chain();
  } catch (e) {
    replace(part, heading, notice('warn', /** @type {Error} */ (e).message));
    return anchored;
  }
  // Re-read each anchored checkpoint from the contract (the last 60 are enough for the chart).
  const shown = anchored.slice(-60);
  /** @type {{c: typeof anchored[0], ok: boolean, timestamp: number, blockNumber: number}[]} */
  const rows = [];
  let mismatches = 0;
  for (const c of shown) {
    try {
      const onChain = await chain.reader.anchoredCheckpoint(c.treeSize);
      const ok = Boolean(onChain) && toHex(/** @type {any} */ (onChain).rootHash) === c.rootHash;
      if (!ok) mismatches++;
      rows.push({ c, ok, timestamp: onChain?.timestamp ?? 0, blockNumber: onChain?.blockNumber ?? 0 });
    } catch (e) {
      replace(part, heading, notice('warn', `Cannot read the contract: ${/** @type {Error} */ (e).message}`));
      return anchored;
    }
  }
  const pending = all.length - anchored.length;
  const lagPoints = rows.slice(1).map((r, i) => ({ t: r.timestamp * 1000, v: r.timestamp - rows[i].timestamp }));
  replace(part, heading,
    mismatches ? notice('bad', `${mismatches} checkpoint(s) differ from what the contract holds.`)
      : notice('ok', `${anchored.length} anchored checkpoint${anchored.length === 1 ? '' : 's'}; the ${rows.length} most recent match the contract${pending ? `; ${pending} not yet anchored` : ''}.`),
    h('p', {}, `Trust root: chain ${chain.root.chainId}, contract ${chain.root.contract} (${chain.root.source === 'pinned' ? 'pinned by you' : 'as stated by the server — pin your own on the Trust root page'}).`),
    rows.length >= 2 ? h('div', { class: 'charts' },
      lineChart('Tree size', rows.map((r) => ({ t: r.timestamp * 1000, v: r.c.treeSize })), { unit: 'leaves' }),
      lagPoints.length >= 2 ? lineChart('Time between checkpoints', lagPoints, { unit: 's' }) : null) : null,
    h('table', {},
      h('thead', {}, h('tr', {}, ['Tree size', 'Root', 'Block', 'Mined', 'Contract check'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.slice().reverse().slice(0, 15).map((r) => h('tr', {},
        h('th', { scope: 'row' }, String(r.c.treeSize)),
        h('td', { class: 'hash' }, r.c.rootHash.slice(0, 16) + '…'),
        h('td', {}, String(r.blockNumber)),
        h('td', {}, r.timestamp ? date(new Date(r.timestamp * 1000).toISOString()) : '—'),
        h('td', {}, r.ok ? h('span', { class: 'badge verified' }, '✔ matches chain') : h('span', { class: 'badge failed' }, '✖ differs')))))));
  return anchored;
}

/** @param {HTMLElement} part @param {{treeSize: number}[]} anchored */
function renderConsistency(part, anchored) {
  const heading = part.firstChild;
  if (anchored.length < 2) {
    replace(part, heading, h('p', {}, 'Two anchored checkpoints are needed.'));
    return;
  }
  const options = (/** @type {number} */ selected) => anchored.map((c) => h('option', { value: c.treeSize, selected: c.treeSize === selected }, String(c.treeSize)));
  const from = h('select', { id: 'cons-from' }, options(anchored[0].treeSize));
  const to = h('select', { id: 'cons-to' }, options(anchored[anchored.length - 1].treeSize));
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', {
    class: 'inline-form',
    onsubmit: async (/** @type {Event} */ ev) => {
      ev.preventDefault();
      const m = Number(/** @type {HTMLSelectElement} */ (from).value);
      const n = Number(/** @type {HTMLSelectElement} */ (to).value);
      replace(result, h('p', { class: 'loading' }, 'Checking…'));
      try {
        const answer = consistencyOf(await fhir.get(`$consistency?from=${m}&to=${n}`));
        const { reader } = await trust.chain();
        const [a, b] = [await reader.anchoredCheckpoint(m), await reader.anchoredCheckpoint(n)];
        if (!a || !b) throw new Error('a checkpoint is not on chain');
        if (!equalBytes(a.rootHash, answer.fromRootHash) || !equalBytes(b.rootHash, answer.toRootHash)) {
          replace(result, notice('bad', 'The server\'s roots differ from the roots the contract holds.'));
          return;
        }
        const check = await verifyConsistency(m, n, a.rootHash, b.rootHash, answer.path);
        replace(result, check.ok
          ? notice('ok', `The log of ${n} entries extends the log of ${m}: nothing was removed or rewritten (${answer.path.length} hashes checked against both anchored roots).`)
          : notice('bad', `Inconsistent: ${check.reason}. The log was rewritten between these checkpoints.`));
      } catch (e) {
        replace(result, notice('warn', `Cannot check: ${/** @type {Error} */ (e).message}`));
      }
    },
  }, h('label', { for: 'cons-from' }, 'From tree size'), from, h('label', { for: 'cons-to' }, 'to'), to, h('button', { type: 'submit' }, 'Check consistency'));
  replace(part, heading, form, result);
}

/** @param {HTMLElement} part */
function renderSweep(part) {
  const heading = part.firstChild;
  const result = h('div', { 'aria-live': 'polite' });
  const run = h('button', {
    type: 'button',
    onclick: async () => {
      run.setAttribute('disabled', '');
      replace(result, h('p', { class: 'loading' }, 'Re-hashing every stored version…'));
      let cursor = 0; let checked = 0; let total = 0;
      /** @type {any[]} */ const mismatches = [];
      /** @type {string[]} */ const unlogged = [];
      try {
        for (let page = 0; page < 1000; page++) {
          const answer = await fhir.get(`$audit-sweep?cursor=${cursor}&_count=500`);
          total = Number(param(answer, 'total') ?? total);
          checked += Number(param(answer, 'checked') ?? 0);
          mismatches.push(...params(answer, 'mismatch'));
          unlogged.push(...params(answer, 'unlogged').map((p) => String(valueOf(p))));
          const next = param(answer, 'next');
          if (next == null) break;
          cursor = Number(next);
        }
        replace(result,
          mismatches.length || unlogged.length
            ? notice('bad', `${mismatches.length} version(s) changed since they were logged, ${unlogged.length} stored without a log entry.`)
            : notice('ok', `All ${checked} logged versions re-hash to what was logged (${total} log entries); nothing stored without a log entry.`),
          mismatches.length ? h('ul', {}, mismatches.map((m) => h('li', {}, h('span', { 'aria-hidden': 'true' }, '✖ '), String(param(m, 'resource'))))) : null,
          unlogged.length ? h('ul', {}, unlogged.map((u) => h('li', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), `unlogged: ${u}`))) : null);
        announce('Audit sweep finished');
      } catch (e) {
        replace(result, notice('warn', `The sweep is not available to this sign-in: ${/** @type {Error} */ (e).message}`));
      } finally {
        run.removeAttribute('disabled');
      }
    },
  }, 'Run the audit sweep');
  replace(part, heading, h('p', {}, 'The server re-hashes every stored version and compares it with its log entry (finds rows changed behind the server\'s back).'), run, result);
}

/** @param {HTMLElement} part */
function renderLogSearch(part) {
  const heading = part.firstChild;
  const result = h('div', { 'aria-live': 'polite' });
  const patient = h('input', { id: 'log-patient', autocomplete: 'off', placeholder: 'Patient/123 (optional)', pattern: '(Patient/)?[A-Za-z0-9\\-.]{1,64}' });
  const since = h('input', { id: 'log-since', type: 'date' });
  const btg = h('input', { id: 'log-btg', type: 'checkbox' });
  const form = h('form', {
    class: 'inline-form',
    onsubmit: async (/** @type {Event} */ ev) => {
      ev.preventDefault();
      const q = ['_sort=-date', '_count=100'];
      const p = /** @type {HTMLInputElement} */ (patient).value.trim();
      // The server names patients in its audit records by identifier: search by entity-name.
      if (p) q.push(`entity-name=${encodeURIComponent(p.startsWith('Patient/') ? p : `Patient/${p}`)}`);
      const d = /** @type {HTMLInputElement} */ (since).value;
      if (d) q.push(`date=ge${d}`);
      const btgOnly = /** @type {HTMLInputElement} */ (btg).checked; // R4 has no purpose search: filtered here
      replace(result, h('p', { class: 'loading' }, 'Searching…'));
      try {
        const events = await fhir.search(`AuditEvent?${q.join('&')}`, 200);
        replace(result, auditTable(btgOnly ? events.filter(isBreakGlass) : events, { verify: true }));
      } catch (e) {
        replace(result, notice('warn', `The access log is not available to this sign-in: ${/** @type {Error} */ (e).message}`));
      }
    },
  },
  h('label', { for: 'log-patient' }, 'Patient'), patient,
  h('label', { for: 'log-since' }, 'Since'), since,
  h('span', { class: 'check' }, btg, h('label', { for: 'log-btg' }, 'Break-glass only')),
  h('button', { type: 'submit' }, 'Search'));
  replace(part, heading, form, result);
}

// Who read or changed a record: the AuditEvents of a patient (the patient's own access log, or an
// auditor's search). Break-glass access (purposeOfEvent BTG) is marked with an icon and words.
import { h, replace, notice, date } from '../dom.js';
import * as fhir from '../fhir.js';
import { verifyButton } from '../verify-version.js';

/** @param {any} e an AuditEvent */
export function isBreakGlass(e) {
  const codes = [...(e.purposeOfEvent ?? []), ...(e.agent ?? []).flatMap((/** @type {any} */ a) => a.purposeOfUse ?? [])]
    .flatMap((/** @type {any} */ cc) => cc.coding ?? []);
  return codes.some((/** @type {any} */ c) => c.code === 'BTG');
}

/** The person behind an access, as the token's SMART fhirUser names them (an agent of type humanuser). @param {any} e */
export function fhirUserOf(e) {
  const person = (e.agent ?? []).find((/** @type {any} */ a) => (a.type?.coding ?? []).some((/** @type {any} */ c) => c.code === 'humanuser'));
  return person?.who?.identifier?.value ?? person?.name ?? null;
}

/** Who: the person (fhirUser) when known, else the token's subject; the role; the sign-in name as detail. @param {any} e */
export function who(e) {
  const agent = (e.agent ?? []).find((/** @type {any} */ a) => a.requestor) ?? e.agent?.[0];
  const subject = agent?.who?.display ?? agent?.name ?? agent?.who?.reference ?? agent?.who?.identifier?.value ?? agent?.altId ?? null;
  const person = fhirUserOf(e);
  const role = agent?.role?.flatMap((/** @type {any} */ r) => r.coding ?? []).map((/** @type {any} */ c) => c.display ?? c.code)[0];
  const name = person ?? subject ?? 'unknown';
  return [role ? `${name} (${role})` : name, person && subject && subject !== person ? h('span', { class: 'detail' }, `signed in as ${subject}`) : null];
}

/** @param {any} e @param {string | undefined} self the reader's own Patient, left out when something else is named */
function what(e, self) {
  const named = (e.entity ?? []).map((/** @type {any} */ x) => x.what?.reference ?? x.what?.display ?? x.what?.identifier?.value ?? x.name).filter(Boolean);
  const entities = self && named.some((/** @type {string} */ n) => n !== self) ? named.filter((/** @type {string} */ n) => n !== self) : named;
  const descriptions = (e.entity ?? []).map((/** @type {any} */ x) => x.description).filter(Boolean);
  return [entities.length ? entities.join(', ') : '—', descriptions.length ? h('span', { class: 'detail' }, descriptions.join('; ')) : null];
}

const INTERACTIONS = /** @type {Record<string, string>} */ ({
  read: 'read', vread: 'read a version', 'history-instance': 'read the history', 'search-type': 'searched',
  'search-system': 'searched', create: 'created', update: 'updated', patch: 'changed', delete: 'deleted',
  transaction: 'sent a transaction', batch: 'sent a batch', capabilities: 'read the capabilities',
});

/** @param {any} e */
function action(e) {
  const codes = (e.subtype ?? []).map((/** @type {any} */ s) => s.code);
  const operation = codes.find((/** @type {string} */ c) => c?.startsWith('$'));
  if (operation) return `ran ${operation}`;
  const interaction = codes.map((/** @type {string} */ c) => INTERACTIONS[c]).find(Boolean);
  if (interaction) return interaction;
  const names = /** @type {Record<string, string>} */ ({ C: 'created', R: 'read', U: 'updated', D: 'deleted', E: 'ran an operation' });
  return names[e.action] ?? e.action ?? '—';
}

/** @param {any[]} events @param {{self?: string}} [options] self: the patient reading their own log */
export function auditTable(events, options = {}) {
  if (events.length === 0) return h('p', {}, 'No access recorded.');
  const btg = events.filter(isBreakGlass).length;
  return h('div', {},
    btg ? notice('warn', h('strong', {}, `${btg} break-glass access${btg === 1 ? '' : 'es'}`), ': someone used emergency access. These rows are marked “Break-glass”.') : null,
    h('table', { class: 'audit' },
      h('thead', {}, h('tr', {}, ['When', 'Who', 'What', 'Action', 'Outcome', 'Why', 'Anchored'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, events.map((e) => h('tr', { class: isBreakGlass(e) ? 'btg' : null },
        h('td', {}, date(e.recorded)),
        h('th', { scope: 'row' }, who(e)),
        h('td', {}, what(e, options.self)),
        h('td', {}, action(e)),
        h('td', {}, e.outcome && e.outcome !== '0'
          ? h('span', {}, h('span', { 'aria-hidden': 'true' }, '✖ '), 'refused or failed', e.outcomeDesc ? h('span', { class: 'detail' }, e.outcomeDesc) : null)
          : h('span', {}, h('span', { 'aria-hidden': 'true' }, '✔ '), 'allowed')),
        h('td', {}, isBreakGlass(e) ? h('strong', { class: 'btg-label' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'Break-glass') : (e.purposeOfEvent ?? []).map(fhir.codeText).join(', ') || '—'),
        // The entry itself, proven on chain through the batch it was sealed in (docs/verification.md 4.2).
        h('td', {}, e.id ? verifyButton('AuditEvent', e.id, e.meta?.versionId ?? '1') : '—'))))));
}

/**
 * @param {HTMLElement} root @param {string} patientId
 */
export async function renderAccessLog(root, patientId) {
  replace(root, h('h2', {}, 'Who looked at my record'), h('p', { class: 'loading' }, 'Loading…'));
  try {
    const events = await fhir.search(`AuditEvent?patient=Patient/${encodeURIComponent(patientId)}&_sort=-date&_count=100`, 1000);
    // The patient's own visits (this app's reads included) would bury the others: hidden unless asked for.
    const mine = (/** @type {any} */ e) => fhirUserOf(e) === `Patient/${patientId}`;
    const others = events.filter((e) => !mine(e));
    const self = `Patient/${patientId}`;
    const table = h('div', {}, auditTable(others, { self }));
    const toggle = h('input', {
      type: 'checkbox', id: 'show-mine',
      onchange: (/** @type {Event} */ ev) => replace(table, auditTable(/** @type {HTMLInputElement} */ (ev.target).checked ? events : others, { self })),
    });
    replace(root, h('h2', {}, 'Who looked at my record'),
      h('p', { class: 'intro' }, 'Every read, change and refusal that concerns your record, newest first. Each entry is itself written into the anchored log.'),
      h('p', {}, h('span', { class: 'check' }, toggle, h('label', { for: 'show-mine' }, `Show my own visits too (${events.length - others.length})`))),
      table);
  } catch (e) {
    const err = /** @type {fhir.FhirError} */ (e);
    replace(root, h('h2', {}, 'Who looked at my record'),
      notice('warn', `Your access log is not available from this server yet (${err.message}). It arrives with patient-managed consent; ask your provider for a copy meanwhile.`));
  }
}

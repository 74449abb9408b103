// A patient's record by category, each version verifiable on chain in the browser. Used by the
// patient portal (own record) and by clinicians, pharmacists and insurers (a patient they opened).
import { h, replace, notice, date, announce } from '../dom.js';
import * as fhir from '../fhir.js';
import { lineChart } from '../chart.js';
import { verifyButton, verifyVersion, badge } from '../verify-version.js';

/** @typedef {{type: string, title: string, query: (p: string) => string, columns: [string, (r: any) => any][]}} Category */

/** @type {Category[]} */
export const CATEGORIES = [
  {
    type: 'Condition', title: 'Conditions',
    query: (p) => `Condition?patient=${p}&_count=100`,
    columns: [['Condition', (r) => fhir.codeText(r.code)], ['Since', (r) => date(r.onsetDateTime ?? r.recordedDate)],
      ['Status', (r) => fhir.codeText(r.clinicalStatus)]],
  },
  {
    type: 'Observation', title: 'Observations',
    query: (p) => `Observation?patient=${p}&_sort=-date&_count=200`,
    columns: [['Observation', (r) => fhir.codeText(r.code)], ['When', (r) => date(r.effectiveDateTime ?? r.issued)],
      ['Value', (r) => valueText(r)]],
  },
  {
    type: 'MedicationRequest', title: 'Medications',
    query: (p) => `MedicationRequest?patient=${p}&_count=100`,
    columns: [['Medication', (r) => fhir.codeText(r.medicationCodeableConcept) !== '—' ? fhir.codeText(r.medicationCodeableConcept) : r.medicationReference?.display ?? r.medicationReference?.reference ?? '—'],
      ['Prescribed', (r) => date(r.authoredOn)], ['Status', (r) => r.status ?? '—']],
  },
  {
    type: 'Claim', title: 'Claims',
    query: (p) => `Claim?patient=${p}&_count=100`,
    columns: [['Claim', (r) => fhir.codeText(r.type)], ['Created', (r) => date(r.created)],
      ['Total', (r) => (typeof r.total?.value === 'number' ? `${fhir.numberText(r.total, 'value')} ${r.total.currency ?? ''}` : '—')]],
  },
];

/** @param {any} r an Observation */
export function valueText(r) {
  const q = r.valueQuantity;
  if (q) return `${fhir.numberText(q, 'value')} ${q.unit ?? q.code ?? ''}`.trim();
  if (r.valueCodeableConcept) return fhir.codeText(r.valueCodeableConcept);
  if (r.valueString) return r.valueString;
  if (r.component?.length) {
    return r.component.filter((/** @type {any} */ c) => c.valueQuantity)
      .map((/** @type {any} */ c) => `${fhir.codeText(c.code)} ${fhir.numberText(c.valueQuantity, 'value')} ${c.valueQuantity.unit ?? ''}`.trim()).join(', ') || '—';
  }
  return '—';
}

/** A patient's header: name, birth date, and the Patient resource's own verify button. @param {any} patient */
export function patientHeader(patient) {
  return h('section', { class: 'card patient-header', 'aria-label': 'Patient' },
    h('h2', {}, fhir.nameOf(patient.name)),
    h('p', {}, `Born ${date(patient.birthDate)} · ${patient.gender ?? 'gender not recorded'} · version ${patient.meta?.versionId ?? '?'} `,
      verifyButton('Patient', patient.id, patient.meta?.versionId ?? '1')));
}

/**
 * Renders the record of one patient into `root`.
 * @param {HTMLElement} root @param {string} patientId @param {{intro?: string}} [options]
 */
export async function renderRecord(root, patientId, options = {}) {
  replace(root, h('p', { class: 'loading' }, 'Loading the record…'));
  let patient;
  try {
    patient = await fhir.get(`Patient/${encodeURIComponent(patientId)}`);
  } catch (e) {
    replace(root, notice('bad', `The record could not be opened: ${/** @type {Error} */ (e).message}`));
    return;
  }
  const ref = `Patient/${patient.id}`;
  const sections = CATEGORIES.map((c) => h('section', { class: 'card category', 'aria-labelledby': `cat-${c.type}` },
    h('h3', { id: `cat-${c.type}` }, c.title), h('p', { class: 'loading' }, 'Loading…')));
  replace(root, options.intro ? h('p', { class: 'intro' }, options.intro) : null, patientHeader(patient),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: () => verifyAllShown(root) }, 'Verify everything shown')),
    h('div', { class: 'verify-all-result', 'aria-live': 'polite' }),
    sections);
  await Promise.all(CATEGORIES.map(async (c, i) => {
    const section = sections[i];
    const heading = section.firstChild;
    try {
      const resources = await fhir.search(c.query(ref));
      replace(section, heading, c.type === 'Observation' ? charts(resources) : null, table(c, resources));
    } catch (e) {
      const err = /** @type {fhir.FhirError} */ (e);
      replace(section, heading, notice(err.refused ? 'warn' : 'bad', `Not available to this sign-in: ${err.message}`));
    }
  }));
  announce('Record loaded');
}

/** @param {Category} c @param {any[]} resources */
function table(c, resources) {
  if (resources.length === 0) return h('p', {}, `No ${c.title.toLowerCase()} recorded.`);
  return h('table', {},
    h('caption', { class: 'sr-only' }, c.title),
    h('thead', {}, h('tr', {}, c.columns.map(([name]) => h('th', { scope: 'col' }, name)), h('th', { scope: 'col' }, 'Version'),
      h('th', { scope: 'col' }, 'On chain'))),
    h('tbody', {}, resources.map((r) => h('tr', {},
      c.columns.map(([, cell], i) => (i === 0 ? h('th', { scope: 'row' }, cell(r)) : h('td', {}, cell(r)))),
      h('td', {}, versionCell(r)),
      h('td', { class: 'verify-cell', 'data-ref': `${r.resourceType}/${r.id}/_history/${r.meta?.versionId ?? '1'}` },
        verifyButton(r.resourceType, r.id, r.meta?.versionId ?? '1'))))));
}

/** The version number, with the earlier versions one click away. @param {any} r */
function versionCell(r) {
  const vid = Number(r.meta?.versionId ?? '1');
  if (vid <= 1) return String(vid);
  const holder = h('div', {});
  const button = h('button', {
    type: 'button', class: 'link', 'aria-expanded': 'false',
    onclick: () => {
      button.remove();
      const list = h('ul', { class: 'versions' });
      for (let v = vid - 1; v >= 1; v--) list.append(h('li', {}, `version ${v} `, verifyButton(r.resourceType, r.id, String(v))));
      holder.append(list);
    },
  }, `${vid} (show ${vid - 1} earlier)`);
  holder.append(button);
  return holder;
}

/** Verifies every version shown in the record, one after the other. @param {HTMLElement} root */
async function verifyAllShown(root) {
  const cells = [...root.querySelectorAll('.verify-cell')];
  const summary = root.querySelector('.verify-all-result');
  if (summary) replace(summary, h('p', { class: 'loading' }, `Checking ${cells.length} versions…`));
  let verified = 0;
  let failed = 0;
  for (const cell of cells) {
    const [type, id, , vid] = String(cell.getAttribute('data-ref')).split('/');
    const o = await verifyVersion(type, id, vid);
    if (o.kind === 'verified') verified++;
    if (o.kind === 'failed') failed++;
    cell.replaceChildren(badge(o));
  }
  const text = `${verified} of ${cells.length} versions verified on chain in this browser`
    + (failed ? `; ${failed} do${failed === 1 ? 'es' : ''} not match what was anchored` : '');
  if (summary) replace(summary, notice(failed ? 'bad' : verified === cells.length ? 'ok' : 'warn', text));
  announce(text);
}

/** Charts of the numeric observations that have at least two values. @param {any[]} observations */
function charts(observations) {
  /** @type {Map<string, {unit: string, points: {t: number, v: number}[]}>} */
  const series = new Map();
  const add = (/** @type {string} */ name, /** @type {any} */ q, /** @type {string} */ when) => {
    if (typeof q?.value !== 'number' || !when) return;
    const t = Date.parse(when);
    if (Number.isNaN(t)) return;
    const key = `${name} (${q.unit ?? q.code ?? ''})`;
    if (!series.has(key)) series.set(key, { unit: q.unit ?? q.code ?? '', points: [] });
    series.get(key)?.points.push({ t, v: q.value });
  };
  for (const o of observations) {
    const when = o.effectiveDateTime ?? o.issued;
    add(fhir.codeText(o.code), o.valueQuantity, when);
    for (const c of o.component ?? []) add(fhir.codeText(c.code), c.valueQuantity, when);
  }
  const list = [...series.entries()].filter(([, s]) => s.points.length >= 2)
    .sort((a, b) => b[1].points.length - a[1].points.length).slice(0, 6);
  if (list.length === 0) return null;
  return h('div', { class: 'charts' }, list.map(([key, s]) => lineChart(key.replace(/ \([^)]*\)$/, ''), s.points, { unit: s.unit })));
}

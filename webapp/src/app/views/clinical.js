// Clinicians, pharmacists and insurers: find a patient (where the role may search), open a resource
// by reference (a prescription, a claim), and verify it in the browser.
import { h, replace, notice, date } from '../dom.js';
import * as fhir from '../fhir.js';
import { renderRecord } from './record.js';
import { verifyVersion, badge, saveButtons } from '../verify-version.js';

/** @param {HTMLElement} root */
export function renderClinical(root) {
  const results = h('div', { 'aria-live': 'polite' });
  const record = h('div', {});
  const nameInput = h('input', { id: 'patient-name', name: 'name', autocomplete: 'off', required: true });
  const refInput = h('input', { id: 'resource-ref', name: 'ref', autocomplete: 'off', required: true, placeholder: 'MedicationRequest/123 or Claim/abc', pattern: '[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}(/_history/[0-9]+)?' });
  const opened = h('div', { 'aria-live': 'polite' });

  const searchForm = h('form', {
    class: 'inline-form',
    onsubmit: async (/** @type {Event} */ ev) => {
      ev.preventDefault();
      replace(results, h('p', { class: 'loading' }, 'Searching…'));
      const name = /** @type {HTMLInputElement} */ (nameInput).value.trim();
      try {
        // The name goes in the request to the server, never into the page's address.
        const patients = await fhir.search(`Patient?name=${encodeURIComponent(name)}&_count=20`, 20);
        replace(results, patients.length === 0 ? h('p', {}, 'No patient found.') : h('ul', { class: 'plain' }, patients.map((p) => h('li', {},
          h('button', { type: 'button', class: 'link', onclick: () => renderRecord(record, p.id) },
            `${fhir.nameOf(p.name)} · born ${date(p.birthDate)} · ${p.gender ?? ''}`)))));
      } catch (e) {
        const err = /** @type {fhir.FhirError} */ (e);
        replace(results, notice('warn', `Patient search is not allowed for this sign-in (${err.message}). Open a resource by its reference instead.`));
      }
    },
  }, h('label', { for: 'patient-name' }, 'Patient name'), nameInput, h('button', { type: 'submit' }, 'Search'));

  const openForm = h('form', {
    class: 'inline-form',
    onsubmit: async (/** @type {Event} */ ev) => {
      ev.preventDefault();
      const ref = /** @type {HTMLInputElement} */ (refInput).value.trim();
      replace(opened, h('p', { class: 'loading' }, 'Opening…'));
      try {
        const r = await fhir.get(ref);
        const [type, id] = [r.resourceType, r.id];
        const vid = r.meta?.versionId ?? '1';
        const slot = h('div', {}, h('p', { class: 'loading' }, 'Checking on chain…'));
        replace(opened, h('section', { class: 'card' },
          h('h3', {}, `${type}/${id}, version ${vid}`),
          slot,
          h('details', {}, h('summary', {}, 'Show the resource'), h('pre', { class: 'json' }, JSON.stringify(r, null, 2)))));
        const o = await verifyVersion(type, id, vid);
        replace(slot, h('p', {}, badge(o), ' ', saveButtons(o)), o.kind === 'verified'
          ? h('p', {}, `This ${type} is exactly the content that was anchored: its hash, leaf and Merkle path lead to the root the contract holds.`)
          : o.detail ? h('p', { class: 'detail' }, o.detail) : null);
      } catch (e) {
        replace(opened, notice('warn', `Cannot open ${ref}: ${/** @type {Error} */ (e).message}`));
      }
    },
  }, h('label', { for: 'resource-ref' }, 'Resource'), refInput, h('button', { type: 'submit' }, 'Open and verify'));

  replace(root,
    h('h2', {}, 'Find a patient or a resource'),
    h('section', { class: 'card' }, h('h3', {}, 'Search a patient'), searchForm, results),
    h('section', { class: 'card' }, h('h3', {}, 'Open a prescription, claim or any resource'), openForm, opened),
    record);
}

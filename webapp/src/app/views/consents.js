// The patient's consents: grant or revoke access for a practitioner or organization, opt in or out
// of research, each with its on-chain status (the decision recorded on chain, checked in the browser).
import { h, replace, notice, date, announce } from '../dom.js';
import * as fhir from '../fhir.js';
import * as trust from '../trust.js';
import { param, params, valueOf, canonicalText, parseJson, sha256, toHex, fromHex, equalBytes, latestConsentDecision } from '../../verifier/index.js';

const PRIVACY = { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' };
const RESEARCH = { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'research' };

/** @param {any} c a Consent */
function scopeCode(c) {
  return c.scope?.coding?.[0]?.code ?? '';
}

const PURPOSES = /** @type {Record<string, string>} */ ({ TREAT: 'treatment', ETREAT: 'emergency treatment', HPAYMT: 'payment', HOPERAT: 'operations', HRESCH: 'research', PUBHLTH: 'public health' });

/** @param {any} c */
function purposes(c) {
  const codes = (c.provision?.purpose ?? []).map((/** @type {any} */ p) => PURPOSES[p.code] ?? p.display ?? p.code);
  return codes.length ? `, for ${codes.join(', ')}` : '';
}

/** @param {any} c */
function grantees(c) {
  return (c.provision?.actor ?? []).map((/** @type {any} */ a) => a.reference?.display ?? a.reference?.reference).filter(Boolean);
}

/**
 * A new patient-privacy Consent permitting (or denying) one practitioner or organization.
 * @param {string} patientId @param {string} grantee e.g. "Practitioner/123" @param {boolean} permit
 */
export function privacyConsent(patientId, grantee, permit) {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: { coding: [PRIVACY] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient: { reference: `Patient/${patientId}` },
    dateTime: new Date().toISOString().slice(0, 19) + 'Z',
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: permit ? 'OPTIN' : 'OPTOUT' }] },
    provision: {
      type: permit ? 'permit' : 'deny',
      actor: [{
        role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PRCP' }] },
        reference: { reference: grantee },
      }],
    },
  };
}

/** @param {string} patientId @param {boolean} optIn */
export function researchConsent(patientId, optIn) {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: { coding: [RESEARCH] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '57016-8', display: 'Privacy policy acknowledgement' }] }],
    patient: { reference: `Patient/${patientId}` },
    dateTime: new Date().toISOString().slice(0, 19) + 'Z',
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: optIn ? 'OPTIN' : 'OPTOUT' }] },
    provision: { type: optIn ? 'permit' : 'deny', purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HRESCH' }] },
  };
}

/**
 * The on-chain status of a Consent version: the server's $verify consentDecision part, and the
 * decision hash checked against the contract in the browser.
 * @param {any} c
 */
async function chainStatus(c) {
  const ref = `Consent/${c.id}/_history/${c.meta?.versionId ?? '1'}`;
  let answer;
  try {
    answer = await fhir.get(`${ref}/$verify`);
  } catch (e) {
    return h('span', { class: 'badge unavailable' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'Cannot check from this sign-in');
  }
  const decision = params(answer, 'consentDecision')[0];
  if (!decision) return h('span', { class: 'badge pending' }, h('span', { 'aria-hidden': 'true' }, '◔ '), 'No decision recorded yet');
  const queue = param(decision, 'queue');
  const record = param(decision, 'decision');
  const key = param(decision, 'consentKey');
  if (queue !== 'recorded' || !record || !key) {
    return h('span', { class: 'badge pending' }, h('span', { 'aria-hidden': 'true' }, '◔ '), `On its way to the chain (${queue ?? 'pending'})`);
  }
  try {
    const { reader } = await trust.chain();
    const onChain = await latestConsentDecision(reader, fromHex(String(key)));
    const mine = await sha256(new TextEncoder().encode(canonicalText(parseJson(new TextEncoder().encode(String(record))))));
    if (onChain && equalBytes(onChain.decisionHash, mine)) {
      return h('span', { class: 'badge verified' }, h('span', { 'aria-hidden': 'true' }, '✔ '), `Recorded on chain at block ${onChain.blockNumber}`);
    }
    if (onChain && onChain.consentVersion > Number(c.meta?.versionId ?? 0)) {
      return h('span', { class: 'badge pending' }, h('span', { 'aria-hidden': 'true' }, 'ℹ '), 'A later decision is on chain');
    }
    return h('span', { class: 'badge failed' }, h('span', { 'aria-hidden': 'true' }, '✖ '), 'Does not match the chain', h('span', { class: 'detail' }, onChain ? `chain hash ${toHex(onChain.decisionHash)}` : 'not on chain'));
  } catch (e) {
    return h('span', { class: 'badge unavailable' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), `Cannot reach the chain: ${/** @type {Error} */ (e).message}`);
  }
}

/** @param {HTMLElement} root @param {string} patientId */
export async function renderConsents(root, patientId) {
  const title = h('h2', {}, 'My consents');
  replace(root, title, h('p', { class: 'loading' }, 'Loading…'));
  let consents;
  try {
    consents = await fhir.search(`Consent?patient=Patient/${encodeURIComponent(patientId)}&_count=100`);
  } catch (e) {
    replace(root, title, notice('warn', `Your consents are not available from this server yet (${/** @type {Error} */ (e).message}).`));
    return;
  }
  const message = h('div', { 'aria-live': 'polite' });
  const reload = () => renderConsents(root, patientId);

  /** @param {'POST'|'PUT'} method @param {string} path @param {any} body @param {string} done */
  const submit = async (method, path, body, done) => {
    try {
      await fhir.send(method, path, body);
      announce(done);
      await reload();
      root.querySelector('h2')?.after(notice('ok', done));
    } catch (e) {
      const err = /** @type {fhir.FhirError} */ (e);
      replace(message, notice(err.refused ? 'warn' : 'bad', `The server did not accept this, nothing was changed: ${err.message}`));
    }
  };

  const privacy = consents.filter((c) => scopeCode(c) === 'patient-privacy');
  const research = consents.filter((c) => scopeCode(c) === 'research');
  const rows = privacy.map((c) => h('tr', {},
    h('th', { scope: 'row' }, grantees(c).join(', ') || 'Anyone (no one named)'),
    h('td', {}, c.provision?.type === 'deny' ? 'Denied' : 'Allowed', purposes(c)),
    h('td', {}, c.status),
    h('td', {}, date(c.dateTime ?? c.meta?.lastUpdated)),
    h('td', { class: 'chain-cell' }, h('span', { class: 'loading' }, 'Checking…')),
    h('td', {}, action(c))));

  /**
   * What the patient can do with a consent in force. A consent about named people turns from permit
   * to deny and back (one new version): a deny shuts them out whatever else permits them (deny wins
   * across consents, and under an opt-out default merely withdrawing a permit would change nothing).
   * A consent naming no one, or with exceptions inside, is withdrawn as a whole (status inactive).
   * @param {any} c
   */
  function action(c) {
    if (c.status !== 'active') return '—';
    const names = grantees(c).join(', ');
    const simple = (c.provision?.actor?.length ?? 0) > 0 && !(c.provision?.provision?.length);
    const now = new Date().toISOString().slice(0, 19) + 'Z';
    /** @param {boolean} permit */
    const turned = (permit) => ({
      ...c, meta: undefined, dateTime: now,
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: permit ? 'OPTIN' : 'OPTOUT' }] },
      provision: { ...c.provision, type: permit ? 'permit' : 'deny' },
    });
    if (simple && c.provision?.type !== 'deny') {
      return h('button', { type: 'button', onclick: () => submit('PUT', `Consent/${c.id}`, turned(false), `Access revoked for ${names}: the server refuses them from now on`) }, `Revoke ${names}`);
    }
    if (simple) {
      return h('button', { type: 'button', class: 'secondary', onclick: () => submit('PUT', `Consent/${c.id}`, turned(true), `Access allowed again for ${names}`) }, `Allow ${names} again`);
    }
    return h('button', { type: 'button', class: 'secondary', onclick: () => submit('PUT', `Consent/${c.id}`, { ...c, status: 'inactive', meta: undefined }, `Consent withdrawn${names ? ` for ${names}` : ''}`) },
      names ? `Withdraw the consent for ${names}` : 'Withdraw this consent');
  }

  const granteeInput = h('input', { id: 'grantee', name: 'grantee', required: true, placeholder: 'Practitioner/123 or Organization/abc', pattern: '(Practitioner|Organization|PractitionerRole|RelatedPerson)/[A-Za-z0-9\\-.]{1,64}', autocomplete: 'off' });
  const grantForm = h('form', {
    class: 'inline-form',
    onsubmit: (/** @type {Event} */ ev) => {
      ev.preventDefault();
      const grantee = /** @type {HTMLInputElement} */ (granteeInput).value.trim();
      submit('POST', 'Consent', privacyConsent(patientId, grantee, true), `Access granted to ${grantee}`);
    },
  }, h('label', { for: 'grantee' }, 'Give access to'), granteeInput, h('button', { type: 'submit' }, 'Grant access'));

  const latestResearch = research.filter((c) => c.status === 'active').sort((a, b) => String(b.meta?.lastUpdated).localeCompare(String(a.meta?.lastUpdated)))[0];
  const optedIn = latestResearch?.provision?.type === 'permit';
  const researchPart = h('section', { class: 'card', 'aria-labelledby': 'research-h' },
    h('h3', { id: 'research-h' }, 'Research'),
    h('p', {}, latestResearch ? (optedIn ? '✔ You take part in research (de-identified data only).' : '✖ You do not take part in research.') : 'You have not decided about research yet; without your consent nothing is released.'),
    latestResearch ? h('p', {}, 'On chain: ', h('span', { class: 'research-chain' }, 'checking…')) : null,
    h('button', { type: 'button', onclick: () => submit('POST', 'Consent', researchConsent(patientId, !optedIn), optedIn ? 'You opted out of research' : 'You opted in to research') },
      optedIn ? 'Opt out of research' : 'Opt in to research'));

  replace(root, title,
    h('p', { class: 'intro' }, 'Who may see your record. When two of your decisions disagree, the denial wins. Every decision is recorded on the chain as a keyed hash (no names); the “On chain” column checks it there from your browser.'),
    message,
    h('section', { class: 'card', 'aria-labelledby': 'access-h' },
      h('h3', { id: 'access-h' }, 'Access by practitioners and organizations'),
      privacy.length ? h('table', {},
        h('thead', {}, h('tr', {}, ['Who', 'Decision', 'Status', 'Since', 'On chain', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows)) : h('p', {}, 'No practitioner- or organization-specific consents.'),
      grantForm),
    researchPart);

  privacy.forEach(async (c, i) => rows[i].querySelector('.chain-cell')?.replaceChildren(await chainStatus(c)));
  if (latestResearch) root.querySelector('.research-chain')?.replaceChildren(await chainStatus(latestResearch));
}

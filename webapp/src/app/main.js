// The app shell: navigation by role, hash routes that carry no personal data (#/record, never an id),
// the session in sessionStorage only.
import { h, replace, notice } from './dom.js';
import * as session from './session.js';
import * as smart from './smart.js';
import { renderSignIn } from './views/signin.js';
import { renderRecord } from './views/record.js';
import { renderAccessLog } from './views/access-log.js';
import { renderConsents } from './views/consents.js';
import { renderClinical } from './views/clinical.js';
import { renderAuditor } from './views/auditor.js';
import { renderVerifyFile } from './views/verify-file.js';
import { renderTrustRoot } from './views/trust-root.js';

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('nav'));
const who = /** @type {HTMLElement} */ (document.getElementById('who'));

/** @typedef {{path: string, label: string, show: (a: ReturnType<typeof session.abilities> | null) => boolean, render: (root: HTMLElement, s: session.Session) => any}} Route */

/** @type {Route[]} */
const ROUTES = [
  { path: '/record', label: 'My record', show: (a) => Boolean(a?.patientPortal), render: (root, s) => renderRecord(root, String(s.patient)) },
  { path: '/access-log', label: 'My access log', show: (a) => Boolean(a?.patientPortal), render: (root, s) => renderAccessLog(root, String(s.patient)) },
  { path: '/consents', label: 'My consents', show: (a) => Boolean(a?.patientPortal), render: (root, s) => renderConsents(root, String(s.patient)) },
  { path: '/clinical', label: 'Patients and resources', show: (a) => Boolean(a?.clinical), render: (root) => renderClinical(root) },
  { path: '/audit', label: 'Auditor console', show: (a) => Boolean(a?.audit), render: (root) => renderAuditor(root) },
  { path: '/verify-file', label: 'Verify a file', show: () => true, render: (root) => renderVerifyFile(root) },
  { path: '/trust', label: 'Trust root', show: () => true, render: (root) => renderTrustRoot(root) },
];

/** A notice for the next sign-in page only (a refused sign-in, a finished sign-out). @type {HTMLElement | null} */
let nextNotice = null;

async function signOut() {
  const s = session.current();
  session.clear();
  // A SMART sign-in also ends the authorization server's session, so that the next person at this
  // browser meets its sign-in page again.
  const ended = s ? await smart.endSession(s) : 'nothing';
  nextNotice = ended === 'ended' ? notice('ok', 'You are signed out, here and on the server\'s sign-in page.')
    : ended === 'nothing' ? notice('ok', 'You are signed out.')
      : notice('warn', `You are signed out of this app, but the server's sign-in session could not be ended (${ended}). Close the browser to be sure.`);
  if (location.hash === '#/signin') route();
  else location.hash = '#/signin'; // hashchange renders the sign-in page
}

function currentPath() {
  return location.hash.replace(/^#/, '') || '/';
}

async function route() {
  const s = session.current();
  const abilities = s ? session.abilities(s) : null;
  const path = currentPath();
  const visible = ROUTES.filter((r) => r.show(abilities));
  replace(nav, h('ul', {}, visible.map((r) => h('li', {}, h('a', { href: `#${r.path}`, 'aria-current': r.path === path ? 'page' : null }, r.label))),
    s ? null : h('li', {}, h('a', { href: '#/signin', 'aria-current': path === '/signin' || path === '/' ? 'page' : null }, 'Sign in'))));
  replace(who, s
    ? [h('span', {}, s.patient ? 'Signed in as a patient' : `Signed in (${s.subject ?? 'token'})`), ' ', h('button', { type: 'button', class: 'small', onclick: signOut }, 'Sign out')]
    : null);

  const target = ROUTES.find((r) => r.path === path && r.show(abilities));
  if (target && (s || !['/record', '/access-log', '/consents', '/clinical', '/audit'].includes(path))) {
    document.title = `${target.label} · FHIR Anchor`;
    await target.render(main, /** @type {session.Session} */ (s));
  } else if (s && visible.length && path !== '/signin') {
    location.replace(`#${visible[0].path}`);
    return;
  } else {
    document.title = 'Sign in · FHIR Anchor';
    const shown = nextNotice;
    nextNotice = null;
    await renderSignIn(main, () => { location.hash = '#/'; route(); }, shown);
  }
  main.focus();
}

window.addEventListener('hashchange', route);
smart.completeIfReturning()
  .then((signedIn) => { if (signedIn) location.hash = '#/'; })
  .catch((e) => {
    nextNotice = notice('bad', h('strong', {}, 'Sign-in refused. '), e instanceof smart.SignInRefused ? e.message : `The sign-in failed: ${e.message}`);
    if (location.hash !== '#/signin') history.replaceState(null, '', '#/signin');
  })
  .finally(route);

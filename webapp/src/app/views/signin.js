// Sign-in: SMART standalone launch (PKCE) when the server's discovery document offers an
// authorization endpoint, and a pasted access token for development.
import { h, replace, notice } from '../dom.js';
import * as session from '../session.js';
import * as smart from '../smart.js';

/**
 * @param {HTMLElement} root @param {() => void} onSignedIn
 * @param {HTMLElement | null} [shown] a notice to show first (a refused sign-in, a sign-out)
 */
export async function renderSignIn(root, onSignedIn, shown = null) {
  const message = h('div', { 'aria-live': 'polite' }, shown);
  const doc = await smart.discover();
  const token = h('textarea', { id: 'token', rows: 4, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'token-help' });
  const launch = (/** @type {typeof smart.SIGN_INS[number]} */ signIn) => smart.launch(doc, signIn).catch((e) => replace(message, notice('bad', e.message)));
  replace(root,
    h('h2', {}, 'Sign in'),
    h('p', { class: 'intro' }, 'See your record, who looked at it and what you consented to; check that every version is exactly what was anchored on the blockchain — checked in this browser, not taken on the server\'s word.'),
    message,
    h('section', { class: 'card', 'aria-labelledby': 'smart-h' },
      h('h3', { id: 'smart-h' }, 'With your account'),
      doc
        ? [h('p', { class: 'help' }, 'You sign in on the server\'s own sign-in page, then choose what this app may see.'),
          h('div', { class: 'toolbar' }, smart.SIGN_INS.map((s) => h('button', { type: 'button', onclick: () => launch(s) }, s.label)))]
        : notice('info', 'This server does not offer a sign-in page yet (no SMART authorization endpoint in its discovery document). Use an access token below.')),
    h('section', { class: 'card', 'aria-labelledby': 'token-h' },
      h('h3', { id: 'token-h' }, 'With an access token (development)'),
      h('form', {
        onsubmit: (/** @type {Event} */ ev) => {
          ev.preventDefault();
          try {
            const value = /** @type {HTMLTextAreaElement} */ (token).value.trim();
            session.save(session.fromToken(value));
            /** @type {HTMLTextAreaElement} */ (token).value = '';
            onSignedIn();
          } catch (e) {
            replace(message, notice('bad', `Not a usable token: ${/** @type {Error} */ (e).message}`));
          }
        },
      },
      h('label', { for: 'token' }, 'Access token'),
      h('p', { id: 'token-help', class: 'help' }, 'For example from ', h('code', {}, 'java -jar fhir-server/target/fhir-anchor-server.jar token --role patient --patient <id>'), '. It is kept for this tab only and forgotten when you close it.'),
      token,
      h('button', { type: 'submit', id: 'token-submit' }, 'Sign in with this token'))),
    h('p', {}, 'No account needed to ', h('a', { href: '#/verify-file' }, 'verify a saved file'), '.'));
}

// The app's FHIR client keeps decimals as the server wrote them, for display (5.40 mmol/L, 12.50 USD).
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('search results keep the lexeme of decimals and still compute with numbers', async () => {
  globalThis.location = /** @type {any} */ ({ origin: 'http://127.0.0.1' });
  globalThis.sessionStorage = /** @type {any} */ ({ getItem: () => null });
  const body = '{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","valueQuantity":{"value":5.40,"unit":"mmol/L"}}},'
    + '{"resource":{"resourceType":"Claim","total":{"value":12.50,"currency":"USD"}}}]}';
  /** @type {string[]} */
  const asked = [];
  globalThis.fetch = async (/** @type {any} */ url) => {
    asked.push(String(url));
    return new Response(body, { status: 200 });
  };
  const fhir = await import('../src/app/fhir.js');
  const [observation, claim] = await fhir.search('Observation?patient=Patient/1');
  assert.deepEqual(asked, ['http://127.0.0.1/fhir/Observation?patient=Patient/1']);
  assert.equal(fhir.numberText(observation.valueQuantity, 'value'), '5.40');
  assert.equal(observation.valueQuantity.value, 5.4);
  assert.equal(fhir.numberText(claim.total, 'value'), '12.50');
  globalThis.fetch = async () => new Response('{"resourceType":"OperationOutcome","issue":[{"diagnostics":"no"}]}', { status: 403 });
  await assert.rejects(fhir.get('Consent'), (/** @type {any} */ e) => e.status === 403 && e.refused && /HTTP 403: no/.test(e.message));
});

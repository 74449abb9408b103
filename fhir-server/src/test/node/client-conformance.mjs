// The client-conformance walks of ConformanceWalks (ClientConformanceTest, ConsentConformanceTest), driven by
// fhir-kit-client (npm), a FHIR client nobody on the team wrote. Input (environment): FHIR_BASE, CONFORMANCE_WALK
// ("roles", the default, or "chart") and CONFORMANCE_INPUT, a JSON list of fixtures: for "roles"
// {caller, token, patient, identifierSystem, chainSystem, mrn, writeTarget, deleteTarget, unique}, for "chart"
// {caller, token, patient, observation, identifierSystem, mrn, owned}. Output (stdout): one JSON object
// {caller: {interaction: outcome}}, an outcome being the HTTP status ("200", "403"), for a batch the Bundle's status
// and its entry's ("200/403"), and in the chart walk "200 left out" for a 200 Bundle holding none of the `owned`
// resources (Type/id) of the patient.
import { Client, RESPONSE_KEY } from 'fhir-kit-client';

const base = process.env.FHIR_BASE;
const callers = JSON.parse(process.env.CONFORMANCE_INPUT);

async function outcome(call) {
  try {
    const result = await call();
    return String(result[RESPONSE_KEY].status);
  } catch (error) {
    if (error.response && error.response.status) {
      return String(error.response.status);
    }
    return 'error: ' + error.message;
  }
}

function observation(c, value, identifier) {
  const body = {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
    subject: { reference: 'Patient/' + c.patient },
    valueQuantity: { value, unit: 'mg/dL' },
  };
  if (identifier) {
    body.identifier = [{ system: c.identifierSystem, value: identifier }];
  }
  return body;
}

async function walk(c) {
  const client = new Client({ baseUrl: base, bearerToken: c.token || undefined });
  const patientRef = 'Patient/' + c.patient;
  const results = {};
  results.READ = await outcome(() => client.read({ resourceType: 'Patient', id: c.patient }));
  results.VREAD = await outcome(() => client.vread({ resourceType: 'Patient', id: c.patient, version: '1' }));
  results.HISTORY = await outcome(() => client.history({ resourceType: 'Patient', id: c.patient }));
  results.UPDATE = await outcome(() => client.update({ resourceType: 'Observation', id: c.writeTarget,
    body: { ...observation(c, 101), id: c.writeTarget } }));
  results.CONDITIONAL_CREATE = await outcome(() => client.create({ resourceType: 'Observation',
    body: observation(c, 102, 'cc-' + c.unique),
    options: { headers: { 'If-None-Exist': `identifier=${c.identifierSystem}|cc-${c.unique}` } } }));
  results.CONDITIONAL_UPDATE = await outcome(() => client.update({ resourceType: 'Observation',
    searchParams: { identifier: `${c.identifierSystem}|cu-${c.unique}` }, body: observation(c, 103, 'cu-' + c.unique) }));
  results.JSON_PATCH = await outcome(() => client.patch({ resourceType: 'Observation', id: c.writeTarget,
    jsonPatch: [{ op: 'replace', path: '/status', value: 'amended' }] }));
  results.FHIRPATH_PATCH = await outcome(() => client.request('Observation/' + c.writeTarget, { method: 'PATCH',
    body: { resourceType: 'Parameters', parameter: [{ name: 'operation', part: [
      { name: 'type', valueCode: 'replace' }, { name: 'path', valueString: 'Observation.status' },
      { name: 'value', valueCode: 'corrected' }] }] },
    options: { headers: { 'content-type': 'application/fhir+json' } } }));
  results.DELETE = await outcome(() => client.delete({ resourceType: 'Observation', id: c.deleteTarget }));
  results.SEARCH_INCLUDE = await outcome(() => client.search({ resourceType: 'Observation',
    searchParams: { patient: patientRef, _include: 'Observation:performer' } }));
  results.SEARCH_REVINCLUDE = await outcome(() => client.search({ resourceType: 'Patient',
    searchParams: { _id: c.patient, _revinclude: 'Observation:patient' } }));
  results.SEARCH_CHAINED = await outcome(() => client.search({ resourceType: 'Observation',
    searchParams: { 'subject:Patient.identifier': `${c.chainSystem}|${c.mrn}` } }));
  results.SEARCH_PAGING = await outcome(async () => {
    const first = await client.search({ resourceType: 'Observation', searchParams: { patient: patientRef, _count: 1 } });
    const next = await client.nextPage({ bundle: first });
    if (!next) {
      throw new Error('no next page');
    }
    return next;
  });
  results.EVERYTHING_INSTANCE = await outcome(() => client.operation({ name: '$everything', resourceType: 'Patient',
    id: c.patient, method: 'GET', input: { _since: '2000-01-01T00:00:00Z', _type: 'Patient,Observation' } }));
  results.EVERYTHING_TYPE = await outcome(() => client.operation({ name: '$everything', resourceType: 'Patient',
    method: 'GET', input: { _count: 5 } }));
  results.BATCH = await outcome(async () => {
    const bundle = await client.batch({ body: { resourceType: 'Bundle', type: 'batch',
      entry: [{ request: { method: 'GET', url: patientRef } }] } });
    const entry = bundle.entry && bundle.entry[0] && bundle.entry[0].response ? bundle.entry[0].response.status : '';
    return { [RESPONSE_KEY]: { status: bundle[RESPONSE_KEY].status + '/' + entry.split(' ')[0] } };
  });
  results.TRANSACTION = await outcome(() => client.transaction({ body: { resourceType: 'Bundle', type: 'transaction',
    entry: [{ fullUrl: 'urn:uuid:6b1f3c1e-1d1e-4c6e-9d0a-' + c.unique.slice(-12).padStart(12, '0'),
      resource: observation(c, 104), request: { method: 'POST', url: 'Observation' } }] } }));
  results.FORMAT_PRETTY = await outcome(() => client.request(`Patient/${c.patient}?_format=json&_pretty=true`));
  results.SUMMARY = await outcome(() => client.request(`Patient/${c.patient}?_summary=true`));
  results.ELEMENTS = await outcome(() => client.search({ resourceType: 'Observation',
    searchParams: { patient: patientRef, _elements: 'status,subject' } }));
  return results;
}

// A 200 Bundle answer: "200" if it holds one of the patient's resources, else "200 left out".
async function held(c, call) {
  try {
    const bundle = await call();
    const ids = (bundle.entry || []).filter((e) => e.resource).map((e) => e.resource.resourceType + '/' + e.resource.id);
    return ids.some((id) => c.owned.includes(id)) ? '200' : '200 left out';
  } catch (error) {
    if (error.response && error.response.status) {
      return String(error.response.status);
    }
    return 'error: ' + error.message;
  }
}

async function walkChart(c) {
  const client = new Client({ baseUrl: base, bearerToken: c.token || undefined });
  const patientRef = 'Patient/' + c.patient;
  const breakGlass = { headers: { 'X-Purpose-Of-Use': 'BTG' } };
  const results = {};
  results.READ = await outcome(() => client.read({ resourceType: 'Observation', id: c.observation }));
  results.VREAD = await outcome(() => client.vread({ resourceType: 'Observation', id: c.observation, version: '1' }));
  results.HISTORY = await held(c, () => client.history({ resourceType: 'Observation', id: c.observation }));
  results.SEARCH = await held(c, () => client.search({ resourceType: 'Observation', searchParams: { patient: patientRef } }));
  results.SEARCH_INCLUDE = await held(c, () => client.search({ resourceType: 'Observation',
    searchParams: { patient: patientRef, _include: 'Observation:subject' } }));
  results.SEARCH_REVINCLUDE = await held(c, () => client.search({ resourceType: 'Patient',
    searchParams: { _id: c.patient, _revinclude: 'Observation:patient' } }));
  results.SEARCH_CHAINED = await held(c, () => client.search({ resourceType: 'Observation',
    searchParams: { 'subject:Patient.identifier': `${c.identifierSystem}|${c.mrn}` } }));
  results.EVERYTHING_INSTANCE = await held(c, () => client.operation({ name: '$everything', resourceType: 'Patient',
    id: c.patient, method: 'GET' }));
  results.BATCH = await outcome(async () => {
    const bundle = await client.batch({ body: { resourceType: 'Bundle', type: 'batch',
      entry: [{ request: { method: 'GET', url: 'Observation/' + c.observation } }] } });
    const first = bundle.entry && bundle.entry[0] ? bundle.entry[0] : {};
    const entry = first.response ? first.response.status.split(' ')[0] : '';
    const holds = first.resource && c.owned.includes(first.resource.resourceType + '/' + first.resource.id);
    const leftOut = entry === '200' && !holds ? ' left out' : '';
    return { [RESPONSE_KEY]: { status: bundle[RESPONSE_KEY].status + '/' + entry + leftOut } };
  });
  results.BTG_READ = await outcome(() => client.read({ resourceType: 'Observation', id: c.observation,
    options: breakGlass }));
  results.BTG_EVERYTHING = await held(c, () => client.operation({ name: '$everything', resourceType: 'Patient',
    id: c.patient, method: 'GET', options: breakGlass }));
  return results;
}

const chart = process.env.CONFORMANCE_WALK === 'chart';
const all = {};
for (const c of callers) {
  all[c.caller] = chart ? await walkChart(c) : await walk(c);
}
process.stdout.write(JSON.stringify(all));

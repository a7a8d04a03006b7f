// Every read, search and export leaves an audit record: each GET route the
// server documents (its OpenAPI document lists them all) is requested by a
// logged-in analyst on the demo, with real ids in its path, and the audit log
// must gain a record for that user each time. A route that reads nothing
// (static files, the login page, the API description) is listed below with
// the reason; a new route must either audit its reads or be added there.
// Requests for ids that do not exist must be recorded as well.
// Run with: node --test audit.test.mjs (needs target/debug/tessera).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tessera, startServer, stopServer, freePort, demoPassword } from './harness.mjs';

/** GET routes that hand out no intelligence, and why they need no audit record. */
const NOT_READS = new Map([
  ['/api/openapi.json', 'the API description'],
  ['/login', 'the login form'],
  ['/static/tessera.css', 'a stylesheet'],
  ['/static/network.js', 'the link chart script'],
  ['/static/map.js', 'the map script'],
  ['/static/leaflet.js', 'a map library'],
  ['/static/leaflet.css', 'a map stylesheet'],
  ['/static/topojson-client.js', 'a map library'],
  ['/static/world-10m.json', 'the public world basemap'],
  ['/network', 'the link chart\'s shell: its data comes from /api/network/*, each audited'],
  ['/map', 'the map\'s shell: its data comes from /api/maritime/*, each audited'],
]);

let dataDir;
let server;
let analyst;
let auditor;

/** Logs `user` in through the API and returns its bearer token. */
async function login(user) {
  const reply = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, password: demoPassword }),
  });
  assert.equal(reply.status, 200, `login of ${user}`);
  return (await reply.json()).token;
}

/** GET `path` with `token`; returns the response. */
function get(path, token) {
  return fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
}

/** GET `path` as JSON with `token`. */
async function json(path, token) {
  const reply = await get(path, token);
  assert.equal(reply.status, 200, `${path}: ${reply.status}`);
  return reply.json();
}

/** The number of audit records of `user`, read by the auditor (whose own reading is recorded under the auditor's name). */
async function recordsOf(user) {
  const log = await json(`/api/audit?user=${encodeURIComponent(user)}&limit=100000`, auditor);
  return log.records.length;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-audit-'));
  tessera(dataDir, ['demo', '--reports', '300', '--seed', '7', '--no-serve']);
  server = await startServer(dataDir, await freePort(), 401);
  analyst = await login('analyst.nca');
  auditor = await login('auditor');
});

after(async () => {
  await stopServer(server?.process);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Real values for the path parameters of the demo, found through the API itself. */
async function pathValues() {
  const match = (await json('/api/matches', analyst)).candidates[0];
  assert.ok(match, 'the demo has possible matches');
  const group = (await json('/api/groups', analyst))[0];
  assert.ok(group, 'the demo has groups');
  const alert = (await json('/api/maritime/alerts', analyst)).alerts[0];
  assert.ok(alert, 'the demo has maritime alerts');
  const watch = (await json('/api/maritime/watchlist', analyst)).watches[0];
  assert.ok(watch, 'the demo has a watchlist');
  const disruption = (await json('/api/disruptions', analyst))[0];
  assert.ok(disruption, 'the demo has disruptions');
  const search = await json('/api/search?q=Calais', analyst);
  const report = search.reports?.[0];
  assert.ok(report, 'a search finds a report');
  return { match, group, alert, watch, disruption, report };
}

test('every GET route that reads intelligence leaves an audit record for the reader', async () => {
  const api = await json('/api/openapi.json', analyst);
  const values = await pathValues();
  const fill = {
    '/api/entities/{id}': () => `/api/entities/${encodeURIComponent(values.match.a)}`,
    '/api/reports/{id}': () => `/api/reports/${encodeURIComponent(values.report.id)}`,
    '/entity/{id}': () => `/entity/${encodeURIComponent(values.match.a)}`,
    '/report/{id}': () => `/report/${encodeURIComponent(values.report.id)}`,
    '/api/matches/{a}/{b}': () =>
      `/api/matches/${encodeURIComponent(values.match.a)}/${encodeURIComponent(values.match.b)}`,
    '/api/entities/{id}/cluster': () => `/api/entities/${encodeURIComponent(values.match.a)}/cluster`,
    '/api/groups/{id}': () => `/api/groups/${encodeURIComponent(values.group.id)}`,
    '/groups/{id}': () => `/groups/${encodeURIComponent(values.group.id)}`,
    '/api/maritime/alerts/{id}': () => `/api/maritime/alerts/${encodeURIComponent(values.alert.id)}`,
    '/api/maritime/tracks/{watch}': () => `/api/maritime/tracks/${encodeURIComponent(values.watch.id)}`,
    '/api/disruptions/{id}': () => `/api/disruptions/${encodeURIComponent(values.disruption.id)}`,
  };
  const network = await json('/api/network', analyst);
  const edge = network.edges[0];
  assert.ok(edge, 'the demo network has links');
  const [source, target, type] = [edge.source, edge.target, edge.type].map(encodeURIComponent);
  const queries = {
    '/api/search': '?q=Calais',
    '/search': '?q=Calais',
    '/api/network/edge': `?source=${source}&target=${target}&type=${type}`,
    '/api/network/paths': `?from=${source}&to=${target}`,
  };

  /** Requests `target`, expects `status`, and says whether the analyst's audit records grew. */
  const audited = async (target, status) => {
    const prior = await recordsOf('analyst.nca');
    const reply = await get(target, analyst);
    await reply.arrayBuffer();
    assert.equal(reply.status, status, `${target} answered ${reply.status}`);
    return (await recordsOf('analyst.nca')) > prior;
  };

  const checked = [];
  const unaudited = [];
  // Ids that do not exist (or that the reader may not see: the same answer):
  // an insider probing for them is recorded too.
  const probes = [];
  for (const [path, methods] of Object.entries(api.paths)) {
    if (!methods.get || NOT_READS.has(path)) continue;
    // The audit log's own reading is recorded under the auditor; checked separately below.
    if (path === '/api/audit' || path === '/audit') continue;
    const targets = [];
    const enumerated = methods.get.parameters?.find((p) => p.in === 'path' && p.schema?.enum);
    if (enumerated) {
      for (const value of enumerated.schema.enum) targets.push(path.replace(`{${enumerated.name}}`, value));
    } else if (path.includes('{')) {
      assert.ok(fill[path], `no value for the path parameters of ${path}: add one to the test`);
      targets.push(fill[path]());
      probes.push(path.replace(/\{[a-z]+\}/g, '999999'));
    } else {
      targets.push(path + (queries[path] ?? ''));
    }
    for (const target of targets) {
      checked.push(target);
      if (!(await audited(target, 200))) unaudited.push(target);
    }
  }
  for (const target of probes) {
    checked.push(target);
    if (!(await audited(target, 404))) unaudited.push(target);
  }
  assert.deepEqual(unaudited, [], `reads without an audit record (of ${checked.length} checked)`);
  assert.ok(checked.length >= 40, `only ${checked.length} routes checked`);

  // The audit log itself: its reading is recorded too, under the reader's name.
  const prior = await recordsOf('auditor');
  for (const target of ['/api/audit', '/audit']) {
    const reply = await get(target, auditor);
    await reply.arrayBuffer();
    assert.equal(reply.status, 200, target);
  }
  // recordsOf itself reads the log once more as the auditor.
  assert.ok((await recordsOf('auditor')) >= prior + 3, 'reading the audit log is audited');
});

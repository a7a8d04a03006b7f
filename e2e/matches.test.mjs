// Browser test of entity resolution in the web UI: the review queue shows possible matches with
// the two records side by side and the evidence per field; confirming one makes the entity page
// list the other record as the same person, with its statements merged under their provenance.
//
//   cargo build -p tessera-cli && (cd e2e && npm ci && node --test)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, outDir, tessera, freePort, startServer, stopServer, launchBrowser } from './harness.mjs';

let dataDir;
let server;
let browser;
let baseUrl;

/** A background population (each person reported by two agencies) and one man reported by three agencies. */
function population() {
  const given = ['anna', 'omar', 'li', 'ivan', 'sara', 'yusuf', 'amira', 'dawit', 'hana', 'reza', 'leyla', 'tuan'];
  const surname = ['kaya', 'haddad', 'chen', 'petrov', 'novak', 'berisha', 'tran', 'abebe', 'osei', 'silva', 'hoxha'];
  const pad = (n, w) => String(n).padStart(w, '0');
  const lines = [];
  const report = (id, agency, entity, name, dob, phone, classification) => {
    const entities = [{ id: entity, schema: 'Person', properties: { name: [name], birthDate: [dob], nationality: ['ER'] } }];
    const links = [];
    if (phone) {
      entities.push({ schema: 'Phone', properties: { number: [phone] } });
      links.push({ type: 'uses', source: '#0', target: '#1' });
    }
    return JSON.stringify({ id, agency, date: '2026-02-01', grading: '2B P', markings: { classification }, text: 'Subject reported.', entities, links });
  };
  for (let i = 0; i < 150; i++) {
    const name = `${given[i % given.length]} ${surname[(i * 7) % surname.length]}`;
    const dob = `${1950 + (i % 50)}-${pad(1 + (i % 12), 2)}-${pad(1 + ((i * 11) % 28), 2)}`;
    const phone = `+4477009${pad(i * 13, 5)}`;
    const plain = (id, agency, entity, spelled) =>
      JSON.stringify({ id, agency, date: '2026-02-01', grading: '2B P', markings: { classification: 'OFFICIAL' }, text: 'Background.',
        entities: [{ id: entity, schema: 'Person', properties: { name: [spelled], birthDate: [dob] } }, { schema: 'Phone', properties: { number: [phone] } }],
        links: [{ type: 'uses', source: '#0', target: '#1' }] });
    lines.push(plain(`NCA-POP-${i}`, 'NCA', `NCA:P-${i}`, name));
    lines.push(plain(`BF-POP-${i}`, 'BF', `BF:N-${i}`, name.toUpperCase()));
  }
  lines.push(report('BF-RES-1', 'BF', 'BF:NOM-4451', 'Mohamed Abdelrahman', '1991-03-07', '+447700911111', 'OFFICIAL'));
  lines.push(report('DEBRIEF-RES-2', 'DEBRIEF', 'DEBRIEF:SUBJ-0907', 'Muhammad Abd al-Rahman', '1991-03-07', '+447700911111', 'SECRET'));
  lines.push(report('EUROPOL-RES-3', 'EUROPOL', 'EUROPOL:P-88', 'ABDULRAHMAN Mohammad', '1991', '+447700911111', 'OFFICIAL'));
  return lines.join('\n') + '\n';
}

before(async () => {
  assert.ok(existsSync(bin), `no tessera binary at ${bin} (cargo build -p tessera-cli, or set TESSERA_BIN)`);
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-matches-'));
  tessera(dataDir, ['init']);
  const file = join(dataDir, 'people.jsonl');
  writeFileSync(file, population());
  tessera(dataDir, ['ingest', '--quiet', file]);
  tessera(dataDir, ['entities', 'resolve']);
  server = await startServer(dataDir, await freePort(), 200);
  baseUrl = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopServer(server?.process);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('review a possible match side by side, confirm it, and see the entity page list the merged member', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const foreign = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(baseUrl)) foreign.push(req.url());
  });

  await page.goto(`${baseUrl}/`);
  await Promise.all([page.waitForURL(/\/matches/), page.locator('.topbar a.matches-link').click()]);
  assert.match(await page.locator('h1.page-title').innerText(), /Possible matches/);
  const open = page.locator('article.match[data-status="open"]');
  assert.ok((await open.count()) > 0, 'the queue lists possible matches');
  // Prefer a pair the engine kept apart, so that confirming it visibly merges two clusters.
  const apart = open.filter({ has: page.locator('.clustered', { hasText: 'kept apart' }) });
  const card = (await apart.count()) > 0 ? apart.first() : open.first();
  const a = await card.getAttribute('data-a');
  const b = await card.getAttribute('data-b');

  // The two records side by side, field by field, with the weight of each field and the prior.
  const name = card.locator('tr.evidence[data-field="name"]');
  assert.ok((await name.locator('td.value-a').innerText()).length > 0);
  assert.ok((await name.locator('td.value-b').innerText()).length > 0);
  assert.match(await name.locator('td.bits').innerText(), /^[+-]\d+\.\d\d$/);
  assert.match(await card.locator('tr.prior-row td.bits').innerText(), /^-\d+\.\d\d$/);
  assert.match(await card.locator('.probability').innerText(), /p = 0\.\d{3}|p = 1\.000/);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'matches.png'), fullPage: false });

  await Promise.all([page.waitForURL(/\/matches$/), card.locator('button.confirm').click()]);
  assert.equal(await page.locator(`article.match[data-a="${a}"][data-b="${b}"]`).count(), 0, 'the confirmed pair left the open queue');

  await page.goto(`${baseUrl}/entity/${encodeURIComponent(a)}`);
  const section = page.locator('section.cluster');
  assert.match(await section.locator('h2').innerText(), /Same person as/i);
  assert.equal(await section.locator(`li.member[data-entity="${b}"]`).count(), 1, `${b} is listed as the same person`);
  // Its statements are merged, each still with its own provenance.
  const merged = section.locator('table.merged tr.statement');
  assert.ok((await merged.count()) > 0);
  assert.ok((await merged.first().locator('td.provenance.report a.report-link').innerText()).length > 0);
  // The decision itself is a statement on the entity, with the report that records it.
  const ruling = page.locator('section.statements tr.statement[data-property="sameAs"]');
  assert.equal(await ruling.count(), 1, 'the decision is shown as a statement with provenance');
  assert.match(await ruling.locator('td.provenance.report').innerText(), /^RES-/);
  await page.screenshot({ path: join(outDir, 'entity-cluster.png'), fullPage: true });

  assert.deepEqual(foreign, [], 'no request left the server');
  await page.close();
});

// Browser and API test of what a partner agency's liaison officer sees: code P
// material, never code C or compartmented material of other agencies, and for
// an identifier held only in such material, whom to contact (hit / no-hit).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bin, outDir, tessera, freePort, startServer, stopServer, launchBrowser } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const password = 'partner liaison e2e password';
// An NCA report under handling code C: for the hub's agencies, not for partners.
const hubOnly = {
  id: 'NCA-E2E-0100', agency: 'NCA', author: 'NCA/ANL/2', date: '2026-03-12',
  grading: { scheme: '3x5x2', code: '2B C', conditions: 'Not for dissemination outside the hub' },
  markings: { classification: 'OFFICIAL-SENSITIVE' },
  text: 'Shwan HAMA SALIH arranges launches from Loon-Plage.',
  entities: [
    { id: 'NCA:P-5001', schema: 'Person', properties: { name: ['Shwan Hama Salih'] } },
    { schema: 'Phone', properties: { number: ['+33 6 39 98 01 12'] } },
  ],
  links: [{ type: 'uses', source: '#0', target: '#1' }],
};

let dataDir;
let server;
let browser;

before(async () => {
  assert.ok(existsSync(bin), `no tessera binary at ${bin}`);
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-partner-'));
  tessera(dataDir, ['init']);
  tessera(dataDir, ['ingest', join(here, 'fixtures', 'reports.jsonl')]);
  const extra = join(dataDir, 'hub-only.jsonl');
  writeFileSync(extra, JSON.stringify(hubOnly) + '\n');
  tessera(dataDir, ['ingest', extra]);
  tessera(dataDir, ['agency', 'add', 'FR-OCRIEST', '--name', 'French partner agency', '--country', 'FR', '--partner']);
  tessera(
    dataDir,
    ['user', 'add', 'liaison.fr', '--agency', 'FR-OCRIEST', '--role', 'partner_liaison', '--clearance', 'SECRET', '--password-stdin'],
    `${password}\n`,
  );
  tessera(dataDir, ['agency', 'add', 'NCA', '--name', 'National Crime Agency', '--country', 'GB']);
  tessera(
    dataDir,
    ['user', 'add', 'analyst.nca', '--agency', 'NCA', '--role', 'analyst', '--clearance', 'SECRET', '--password-stdin'],
    `${password}\n`,
  );
  server = await startServer(dataDir, await freePort(), 401);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopServer(server?.process);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('a partner sees code P material, and only whom to contact for the rest', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${server.url}/login`);
  await page.locator('#user').fill('liaison.fr');
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL(`${server.url}/`), page.locator('button[type=submit]').click()]);

  // Code P reports of NCA and BF are shared with partners; the SECRET OP-X one is not.
  await page.locator('#q').fill('Ahmed Karimi');
  await Promise.all([page.waitForURL(/\/search\?/), page.locator('#q').press('Enter')]);
  await Promise.all([page.waitForURL(/\/entity\//), page.locator('tr.entity-hit a').first().click()]);
  const entity = await page.content();
  assert.ok(entity.includes('NCA-E2E-0001') && entity.includes('BF-E2E-0042'), 'code P provenance shown');
  assert.ok(!entity.includes('IE-E2E-0007') && !entity.includes('Abu Yasin'), 'nothing of the compartmented report');

  // The phone is held only in a code-C NCA report: no content, only whom to contact.
  await page.goto(`${server.url}/`);
  await page.locator('#q').fill('+33 6 39 98 01 12');
  await Promise.all([page.waitForURL(/\/search\?/), page.locator('#q').press('Enter')]);
  const notice = await page.locator('.deconfliction').innerText();
  assert.match(notice, /contact NCA, ref DX-\d+/);
  const results = await page.content();
  assert.ok(!results.includes('NCA-E2E-0100') && !results.includes('Shwan'), 'no content of the hidden report');
  assert.equal(await page.locator('tr.entity-hit').count(), 0);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'partner-deconfliction.png'), fullPage: true });

  // The hidden report's page is the same 404 as a report that does not exist.
  const hidden = await page.goto(`${server.url}/report/NCA-E2E-0100`);
  const missing = await page.goto(`${server.url}/report/NO-SUCH-REPORT`);
  assert.equal(hidden.status(), 404);
  assert.equal(missing.status(), 404);
  await page.close();

  // The API says the same to the same user.
  const login = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'liaison.fr', password }),
  });
  assert.equal(login.status, 200);
  const { token } = await login.json();
  const api = await fetch(`${server.url}/api/search?q=${encodeURIComponent('07700 900123')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await api.json();
  assert.ok(body.entities.some((e) => e.id === 'phone:+447700900123'), 'code P phone visible');
  const hiddenApi = await (await fetch(`${server.url}/api/search?q=${encodeURIComponent('+33639980112')}`, {
    headers: { authorization: `Bearer ${token}` },
  })).json();
  assert.equal(hiddenApi.total_entities, 0);
  assert.equal(hiddenApi.deconfliction[0].owner, 'NCA');
  assert.ok(!JSON.stringify(hiddenApi).includes('NCA-E2E-0100'));

  // The owning agency is told who asked: NCA's inbox, in the browser.
  const nca = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await nca.goto(`${server.url}/login`);
  await nca.locator('#user').fill('analyst.nca');
  await nca.locator('#password').fill(password);
  await Promise.all([nca.waitForURL(`${server.url}/`), nca.locator('button[type=submit]').click()]);
  await nca.goto(`${server.url}/deconflictions`);
  const row = await nca.locator('tr.deconfliction-row').first().innerText();
  assert.match(row, /DX-\d+/);
  assert.match(row, /liaison\.fr/);
  assert.match(row, /FR-OCRIEST/);
  assert.match(row, /NCA-E2E-0100/);
  await nca.screenshot({ path: join(outDir, 'nca-inbox.png'), fullPage: true });
  await nca.close();
});

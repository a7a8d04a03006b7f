// Browser test of the web UI: the real `tessera` binary, a real store, Debian's chromium.
//
//   cargo build -p tessera-cli && (cd e2e && npm ci && node --test)
//
// Environment: TESSERA_BIN (default <repo>/target/debug/tessera), CHROMIUM (default /usr/bin/chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bin, outDir, tessera, freePort, startServer, stopServer, launchBrowser } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixtures', 'reports.jsonl');

let dataDir;
let server;
let browser;
let baseUrl;

before(async () => {
  assert.ok(existsSync(bin), `no tessera binary at ${bin} (cargo build -p tessera-cli, or set TESSERA_BIN)`);
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  tessera(dataDir, ['init']);
  tessera(dataDir, ['ingest', fixture]);
  // Without users the server runs in single-user mode and the API answers at once.
  server = await startServer(dataDir, await freePort(), 200);
  baseUrl = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopServer(server?.process);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('search by a name variant, open the person, see provenance, follow it to the report', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Nothing may be fetched from outside the server: the UI must work on a closed network.
  const foreign = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(baseUrl)) foreign.push(req.url());
  });

  await page.goto(`${baseUrl}/`);
  assert.match(await page.locator('.topbar .brand').innerText(), /tessera/i);
  assert.match(await page.locator('.topbar .viewer').innerText(), /local-operator/);

  // A spelling no report uses.
  await page.locator('#q').fill('Akhmad Karimi');
  await Promise.all([page.waitForURL(/\/search\?/), page.locator('#q').press('Enter')]);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'search.png'), fullPage: true });
  const hit = page.locator('tr.entity-hit[data-entity="nca#N77"] a.entity-link');
  assert.equal(await hit.count(), 1, 'the person is found under a variant spelling');
  await Promise.all([page.waitForURL(/\/entity\//), hit.click()]);

  // The entity page: every statement with its source report, agency and grading.
  assert.match(await page.locator('h1.caption').innerText(), /Karimi/i);
  const row = page.locator('tr.statement[data-report="BF-E2E-0042"][data-property="name"]');
  assert.equal(await row.count(), 1, 'the BF name statement is listed');
  assert.equal(await row.getAttribute('data-agency'), 'BF');
  assert.equal(await row.locator('td.provenance.report').innerText(), 'BF-E2E-0042');
  assert.equal(await row.locator('td.provenance.agency').innerText(), 'BF');
  const grading = row.locator('abbr.grading');
  assert.equal(await grading.innerText(), '1B P');
  assert.match(await grading.getAttribute('title'), /Reliable.*corroborated/i);
  assert.match(await row.locator('td.value').innerText(), /Ahmad KARIMI/);
  // The mapped 5x5x5 grade keeps its original, and the SECRET statement shows its banner.
  const ie = page.locator('tr.statement[data-report="IE-E2E-0007"]').first();
  assert.match(await ie.innerText(), /from 5x5x5 B2 4/);
  assert.match(await ie.locator('.marking').innerText(), /SECRET \[OP-X\]/);

  await page.screenshot({ path: join(outDir, 'entity.png'), fullPage: true });

  // Follow the provenance to the report.
  await Promise.all([page.waitForURL(/\/report\//), row.locator('a.report-link').click()]);
  assert.match(await page.locator('.banner').first().innerText(), /OFFICIAL/);
  assert.equal(await page.locator('.report-id').innerText(), 'BF-E2E-0042');
  assert.match(await page.locator('.report-text').innerText(), /HGV driver stopped at Dover/);
  await page.screenshot({ path: join(outDir, 'report.png'), fullPage: true });

  assert.deepEqual(foreign, [], 'no request left the server');
  await page.close();
});

// Browser test of the web UI: the real `tessera` binary, a real store, Debian's chromium.
//
//   cargo build -p tessera-cli && (cd e2e && npm ci && node --test)
//
// Environment: TESSERA_BIN (default <repo>/target/debug/tessera), CHROMIUM (default /usr/bin/chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);
const bin = process.env.TESSERA_BIN || join(repo, 'target', 'debug', 'tessera');
const fixture = join(here, 'fixtures', 'reports.jsonl');
const outDir = join(here, 'out');

let dataDir;
let server;
let serverLog = '';
let browser;
let baseUrl;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function tessera(...args) {
  return execFileSync(bin, ['--data', dataDir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Resolves once the server has printed its URL and answers HTTP.
function startServer(port) {
  const expected = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['--data', dataDir, 'serve', '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not print ${expected} within 20 s; output:\n${serverLog}`)), 20_000);
    let announced = false;
    const onData = async (chunk) => {
      serverLog += chunk.toString();
      if (announced || !serverLog.includes(expected)) return;
      announced = true;
      // The URL line may precede the bind by a moment: wait until the API answers.
      for (let i = 0; i < 100; i++) {
        try {
          const r = await fetch(`${expected}/api/stats`);
          if (r.ok) {
            clearTimeout(timer);
            resolve(expected);
            return;
          }
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      clearTimeout(timer);
      reject(new Error(`server printed ${expected} but never answered; output:\n${serverLog}`));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}; output:\n${serverLog}`));
    });
  });
}

before(async () => {
  assert.ok(existsSync(bin), `no tessera binary at ${bin} (cargo build -p tessera-cli, or set TESSERA_BIN)`);
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
  tessera('init');
  tessera('ingest', fixture);
  baseUrl = await startServer(await freePort());
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGINT');
    await new Promise((resolve) => {
      const t = setTimeout(() => {
        server.kill('SIGKILL');
        resolve();
      }, 5_000);
      server.on('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
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

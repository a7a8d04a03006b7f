// Browser test of login: a data directory with a user requires a session; the
// top bar shows who is logged in; logging out ends the session.
//
//   cargo build -p tessera-cli && (cd e2e && npm ci && node --test)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bin, outDir, tessera, freePort, startServer, stopServer, launchBrowser } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixtures', 'reports.jsonl');
const password = 'e2e password of the analyst';

let dataDir;
let server;
let browser;
let baseUrl;

before(async () => {
  assert.ok(existsSync(bin), `no tessera binary at ${bin} (cargo build -p tessera-cli, or set TESSERA_BIN)`);
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-login-'));
  tessera(dataDir, ['init']);
  tessera(dataDir, ['ingest', fixture]);
  tessera(dataDir, ['agency', 'add', 'NCA', '--name', 'National Crime Agency', '--country', 'GB']);
  tessera(
    dataDir,
    ['user', 'add', 'analyst.nca', '--agency', 'NCA', '--role', 'analyst', '--clearance', 'SECRET', '--compartment', 'OP-X', '--password-stdin'],
    `${password}\n`,
  );
  // With a user, the API needs a session: 401 until logged in.
  server = await startServer(dataDir, await freePort(), 401);
  baseUrl = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopServer(server?.process);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('log in, see who you are, search, log out', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

  await page.goto(`${baseUrl}/`);
  assert.match(page.url(), /\/login$/, 'pages need a session');

  await page.locator('#user').fill('analyst.nca');
  await page.locator('#password').fill('not the password');
  await Promise.all([page.waitForLoadState(), page.locator('button[type=submit]').click()]);
  assert.match(await page.locator('.login-error').innerText(), /wrong user name or password/i);

  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.locator('button[type=submit]').click()]);
  const who = await page.locator('.topbar .viewer').innerText();
  assert.match(who, /analyst\.nca/);
  assert.match(who, /NCA/);
  assert.match(who, /analyst/);
  assert.match(who, /SECRET/);
  assert.equal(await page.locator('.single-user-notice').count(), 0);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'logged-in.png'), fullPage: true });

  await page.locator('#q').fill('Karimi');
  await Promise.all([page.waitForURL(/\/search\?/), page.locator('#q').press('Enter')]);
  assert.ok((await page.locator('tr.entity-hit').count()) > 0, 'search works while logged in');

  await Promise.all([page.waitForURL(/\/login$/), page.locator('.topbar form.logout button').click()]);
  await page.goto(`${baseUrl}/`);
  assert.match(page.url(), /\/login$/, 'the session ended');
  await page.close();
});

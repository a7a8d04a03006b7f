// Browser test of login: a data directory with a user requires a session; the
// top bar shows who is logged in; logging out ends the session.
//
//   cargo build -p tessera-cli && (cd e2e && npm ci && node --test)

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
const password = 'e2e password of the analyst';

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

function tessera(args, input) {
  return execFileSync(bin, ['--data', dataDir, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

// Resolves once the server answers (the login page is public).
function startServer(port) {
  const expected = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['--data', dataDir, 'serve', '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 20 s; output:\n${serverLog}`)), 20_000);
    let announced = false;
    const onData = async (chunk) => {
      serverLog += chunk.toString();
      if (announced || !serverLog.includes(expected)) return;
      announced = true;
      for (let i = 0; i < 100; i++) {
        try {
          const r = await fetch(`${expected}/api/stats`);
          if (r.status === 401) {
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
      reject(new Error(`server never required login; output:\n${serverLog}`));
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
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-login-'));
  tessera(['init']);
  tessera(['ingest', fixture]);
  tessera(['agency', 'add', 'NCA', '--name', 'National Crime Agency', '--country', 'GB']);
  tessera(
    ['user', 'add', 'analyst.nca', '--agency', 'NCA', '--role', 'analyst', '--clearance', 'SECRET', '--compartment', 'OP-X', '--password-stdin'],
    `${password}\n`,
  );
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

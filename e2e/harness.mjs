// Shared pieces of the browser tests: the real tessera binary on a temporary
// data directory, its server on a free port, and Debian's Chromium.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = dirname(here);
export const bin = process.env.TESSERA_BIN || join(repo, 'target', 'debug', 'tessera');
export const outDir = join(here, 'out');
/** The FRONTEX detections the server shows beside the intelligence (`../shared/data/frontex`). */
export const frontexDir = join(repo, '..', 'shared', 'data', 'frontex');

/** Runs `tessera --data DIR ARGS...` with optional standard input; returns standard output. */
export function tessera(dataDir, args, input) {
  return execFileSync(bin, ['--data', dataDir, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A TCP port nothing listens on. */
export function freePort() {
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

/** Starts `tessera serve` and resolves with { url, process } once /api/stats answers `expectStatus`. */
export function startServer(dataDir, port, expectStatus) {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['--data', dataDir, '--frontex', frontexDir, 'serve', '--addr', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 20 s; output:\n${log}`)), 20_000);
    let announced = false;
    const onData = async (chunk) => {
      log += chunk.toString();
      if (announced || !log.includes(url)) return;
      announced = true;
      for (let i = 0; i < 100; i++) {
        try {
          if ((await fetch(`${url}/api/stats`)).status === expectStatus) {
            clearTimeout(timer);
            resolve({ url, process: child });
            return;
          }
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      clearTimeout(timer);
      reject(new Error(`server never answered ${expectStatus}; output:\n${log}`));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}; output:\n${log}`));
    });
  });
}

/** Stops a server started by `startServer`. */
export async function stopServer(child) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGINT');
  await new Promise((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5_000);
    child.on('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The password of every demo user (synthetic demo only; `tessera demo` prints it). */
export const demoPassword = 'tessera-demo-2026';

/**
 * Logs `user` in on a new page of `browser` against the server at `baseUrl`, recording requests
 * that leave the server (`foreign`) and script errors (`errors`); returns `{ page, foreign, errors }`.
 */
export async function loginPage(browser, baseUrl, user, password = demoPassword, viewport = { width: 1400, height: 1000 }) {
  const page = await browser.newPage({ viewport });
  const foreign = [];
  const errors = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(baseUrl)) foreign.push(req.url());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${baseUrl}/login`);
  await page.locator('#user').fill(user);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.locator('button[type=submit]').click()]);
  return { page, foreign, errors };
}

/**
 * The demo (600 reports, seed 7) loaded into a fresh data directory named after `name`, served with
 * users required, and a browser: `{ dataDir, server, browser }` for `stopDemo`.
 */
export async function startDemo(name) {
  if (!existsSync(bin)) throw new Error(`no tessera binary at ${bin} (cargo build --bin tessera, or set TESSERA_BIN)`);
  const dataDir = mkdtempSync(join(tmpdir(), `tessera-e2e-${name}-`));
  tessera(dataDir, ['demo', '--reports', '600', '--seed', '7', '--no-serve']);
  const server = await startServer(dataDir, await freePort(), 401);
  const browser = await launchBrowser();
  return { dataDir, server, browser };
}

/** Stops what `startDemo` started and removes its data directory. */
export async function stopDemo(demo) {
  await demo?.browser?.close();
  await stopServer(demo?.server?.process);
  if (demo?.dataDir) rmSync(demo.dataDir, { recursive: true, force: true });
}

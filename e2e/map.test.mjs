// Browser test of the maritime map (/map): the real binary, the demo scenario (its watched vessels,
// watched coastal areas and the alerts their synthetic AIS raised), Debian's chromium.
//
// 1. The hub's analyst: the Natural Earth basemap is drawn from the binary (no tile server), the
//    watchlist, tracks, areas and alerts load; clicking an alert opens its details and draws its
//    evidence (the track segment); acknowledging it moves it out of the open alerts.
// 2. A partner liaison officer: the demo's watches are NCA's, handling C, so the map shows no
//    watched vessel, track or alert, and the API answers the same.
//
// Nothing may leave 127.0.0.1.
//
//   cargo build --bin tessera && TESSERA_BIN=$PWD/target/debug/tessera node --test e2e/map.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDemo, stopDemo, outDir, loginPage } from './harness.mjs';

let demo;
let server;
let browser;

before(async () => {
  demo = await startDemo('map');
  ({ server, browser } = demo);
});

after(() => stopDemo(demo));

/** Logs `user` in on a new page; an HTTP error is a script error, but for the ids the partner probes. */
async function login(user) {
  const session = await loginPage(browser, server.url, user, undefined, { width: 1500, height: 1000 });
  session.page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().includes('/api/maritime/alerts/1') && !r.url().includes('/api/maritime/tracks/1')) {
      session.errors.push(`${r.status()} ${r.url()}`);
    }
  });
  return session;
}

/** Opens the map and waits until it has loaded (or failed). */
async function openMap(page) {
  await page.locator('a.map-link').click();
  await page.waitForURL(`${server.url}/map`);
  const canvas = page.locator('#map-canvas');
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('map-canvas').dataset.state), null, {
    timeout: 30_000,
  });
  return canvas;
}

test('an analyst sees watched vessels, their tracks and alerts on an offline map, with evidence', async () => {
  const { page, foreign, errors } = await login('analyst.nca');
  const canvas = await openMap(page);
  assert.equal(await canvas.getAttribute('data-state'), 'ready', await page.locator('#map-error').textContent());

  // The basemap: Natural Earth countries from the binary, drawn on a canvas.
  assert.ok(Number(await canvas.getAttribute('data-land')) > 200, 'the world-atlas countries are drawn');
  assert.ok((await page.locator('#map-canvas canvas').count()) >= 1, 'Leaflet draws on a canvas');

  const watches = await page.locator('#map-watchlist li.map-watch').count();
  assert.ok(watches >= 1, 'the demo watches at least one vessel');
  assert.ok(Number(await canvas.getAttribute('data-tracks')) >= 1, 'tracks of watched vessels are drawn');
  assert.ok(Number(await canvas.getAttribute('data-areas')) >= 1, 'the watched coastal areas are drawn');
  const alertsShown = Number(await canvas.getAttribute('data-alerts'));
  assert.ok(alertsShown >= 1, 'the demo AIS raised open alerts');
  assert.equal(await page.locator('#map-alerts li.map-alert-item').count(), alertsShown);

  // The watchlist links a vessel to its record in the picture.
  const vesselLinks = page.locator('#map-watchlist a.entity-link');
  assert.ok((await vesselLinks.count()) >= 1, 'a watch is linked to its vessel entity');
  assert.match(await vesselLinks.first().getAttribute('href'), /^\/entity\//);

  // Filter to one behaviour the demo produced: an AIS gap (going dark).
  await page.locator('#map-kind').selectOption('gap');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#map-alerts li.map-alert-item .map-alert-kind')].every((e) => e.textContent.startsWith('AIS gap')),
  );
  const gaps = await page.locator('#map-alerts li.map-alert-item').count();
  assert.ok(gaps >= 1, 'the demo has a gap alert');

  // Open it: details and evidence drawn.
  await page.locator('#map-alerts li.map-alert-item button').first().click();
  const panel = page.locator('#map-alert');
  await panel.waitFor({ state: 'visible' });
  assert.equal(await page.locator('#map-alert-title').textContent(), 'AIS gap (going dark)');
  const facts = await page.locator('#map-alert-facts').textContent();
  assert.match(facts, /Silent for\s*\d+(\.\d)? h/);
  assert.ok(Number(await canvas.getAttribute('data-evidence')) >= 2, 'the track segment around the gap is drawn');
  assert.match(await page.locator('#map-alert-evidence').textContent(), /positions/);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'map-alert.png') });

  // Acknowledge: it leaves the open alerts.
  const id = await panel.getAttribute('data-alert');
  await page.locator('#map-alert-ack').click();
  await page.waitForFunction(
    (alertId) => !document.querySelector(`#map-alerts li[data-alert="${alertId}"]`),
    id,
  );
  await page.locator('#map-status').selectOption('acknowledged');
  await page.locator(`#map-alerts li[data-alert="${id}"]`).waitFor();

  assert.deepEqual(foreign, [], 'nothing is fetched from outside the server');
  assert.deepEqual(errors, [], 'no script errors');
  await page.close();
});

test("a partner liaison officer sees none of the hub's watched vessels or alerts", async () => {
  const { page, foreign, errors } = await login('liaison.fr');
  const canvas = await openMap(page);
  assert.equal(await canvas.getAttribute('data-state'), 'ready');
  assert.ok(Number(await canvas.getAttribute('data-land')) > 200, 'the basemap is drawn all the same');
  assert.equal(await page.locator('#map-watchlist li.map-watch').count(), 0);
  assert.equal(await canvas.getAttribute('data-tracks'), '0');
  assert.equal(await canvas.getAttribute('data-alerts'), '0');
  assert.match(await page.locator('#map-watchlist').textContent(), /No watched vessel is visible to you/);
  // The API agrees, and an alert id that exists is answered as if it did not.
  const api = await page.evaluate(async () => {
    const w = await (await fetch('/api/maritime/watchlist')).json();
    const a = await (await fetch('/api/maritime/alerts?status=open')).json();
    const one = await fetch('/api/maritime/alerts/1');
    const track = await fetch('/api/maritime/tracks/1');
    return { watches: w.watches.length, alerts: a.total, one: one.status, track: track.status };
  });
  assert.deepEqual(api, { watches: 0, alerts: 0, one: 404, track: 404 });
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await page.close();
});

// Browser test of the threat-picture dashboard (/picture): the real binary, the demo scenario,
// Debian's chromium. The analyst's picture draws a bar per figure and a monthly line per stream
// and route with its change points, and FRONTEX's detections of the picture's routes beside them;
// a partner liaison officer's picture is sanitised (the method shown, counts rounded or "<5") and
// built from fewer reports than the hub's.
//
//   cargo build --bin tessera && TESSERA_BIN=$PWD/target/debug/tessera node --test e2e/picture.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, stopDemo, loginPage } from './harness.mjs';

let demo;
let server;
let browser;

before(async () => {
  demo = await startDemo('picture');
  ({ server, browser } = demo);
});

after(() => stopDemo(demo));

/** Logs `user` in and opens the dashboard from the top bar. */
async function openPicture(user) {
  const session = await loginPage(browser, server.url, user);
  await session.page.locator('a.picture-link').click();
  await session.page.waitForURL(`${server.url}/picture`);
  return session;
}

const reportsShown = async (page) => (await page.locator('#picture-reports').textContent()).trim();

let hubReports = 0;

test("the analyst's dashboard draws the figures, the monthly trends with change points, and the groups", async () => {
  const { page, foreign, errors } = await openPicture('analyst.nca');
  hubReports = Number(await reportsShown(page));
  assert.ok(hubReports > 100, `the demo's reports: ${hubReports}`);
  for (const by of ['stream', 'route', 'country', 'nationality', 'mo']) {
    assert.equal(await page.locator(`section.picture-section[data-by="${by}"]`).count(), 1, by);
  }
  // A bar per figure, with its width drawn in proportion (the largest figure has the widest bar).
  const streams = page.locator('section.picture-section[data-by="stream"] tr.figure');
  assert.ok((await streams.count()) >= 4, 'the streams of the Strategic Action Plan');
  const widths = await streams.locator('svg.bar rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
  assert.deepEqual([...widths].sort((a, b) => b - a), widths, 'figures are drawn largest first');
  const box = await streams.first().locator('svg.bar').boundingBox();
  assert.ok(box && box.width > 100 && box.height > 5, 'the bar chart is laid out');
  // Monthly lines per stream and route, with change points listed and marked.
  assert.ok((await page.locator('figure.picture-series svg.series-chart polyline').count()) >= 4);
  assert.equal(
    await page.locator('line.change-point').count(),
    await page.locator('figure.picture-series li.change').count(),
    'every change point listed is marked on its line',
  );
  assert.ok((await page.locator('.picture-group-list a.group-link').count()) >= 1, 'groups are ranked');
  // FRONTEX's detections beside the intelligence, for the routes FRONTEX reports, with their breaks.
  const frontex = page.locator('section.picture-context figure.picture-series[data-source="frontex"]');
  assert.ok((await frontex.count()) >= 2, 'FRONTEX series of the picture\'s routes');
  assert.equal(await page.locator('section.picture-context figure[data-key="channel"]').count(), 0, 'FRONTEX does not report the Channel');
  assert.ok((await frontex.locator('line.change-point').count()) >= 1, 'FRONTEX change points are marked');
  assert.equal(await page.locator('.sanitised-notice').count(), 0, "the hub's own picture is not sanitised");

  // Quarterly, from 2024: the form keeps what was asked.
  await page.locator('select[name="period"]').selectOption('quarter');
  await page.locator('input[name="from"]').fill('2024-01');
  await Promise.all([page.waitForURL(/period=quarter/), page.locator('.picture-filters button').click()]);
  assert.equal(await page.locator('input[name="from"]').inputValue(), '2024-01');
  assert.ok(Number(await reportsShown(page)) <= hubReports);

  assert.deepEqual(foreign, [], 'nothing is fetched from outside the server');
  assert.deepEqual(errors, [], 'no script errors');
  await page.close();
});

test("a partner's dashboard is sanitised and built from less than the hub's", async () => {
  assert.ok(hubReports > 0, 'runs after the analyst test');
  const { page, foreign, errors } = await openPicture('liaison.fr');
  await page.locator('.sanitised-notice').waitFor();
  assert.match(await page.locator('.sanitised-notice').textContent(), /withheld/);
  const shown = await reportsShown(page);
  assert.ok(shown === '<5' || Number(shown) % 5 === 0, `a sanitised total: ${shown}`);
  assert.ok(shown === '<5' || Number(shown) < hubReports, 'the partner sees fewer reports than the hub');
  // Every count on the page is a multiple of 5 or "<5".
  const counts = await page
    .locator('section.picture-section tr.figure td:nth-child(2) svg text, section.picture-section tr.figure td:nth-child(3)')
    .allTextContents();
  assert.ok(counts.length > 0);
  for (const c of counts.map((t) => t.trim())) {
    assert.ok(c === '<5' || Number(c) % 5 === 0, `unsanitised count ${c}`);
  }
  // Sanitised series carry change points only: no line of monthly counts from the intelligence
  // (FRONTEX's published detections are drawn for the routes the partner's picture shows).
  assert.equal(await page.locator('figure[data-source="intelligence"] svg.series-chart').count(), 0);
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await page.close();
});

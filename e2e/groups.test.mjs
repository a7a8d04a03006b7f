// Browser test of the organised crime group board (/groups): the real binary, the demo scenario,
// Debian's chromium.
//
// 1. The hub's analyst: the board ranks the demo's groups by priority (each row's priority no
//    higher than the one above), every group shows its band and confidence; a group's page shows
//    harm, capability and intent with each factor's level, descriptor and the reports behind it,
//    and leads to the group's link chart.
// 2. A partner liaison officer sees a board built only from what the handling codes let it see:
//    every report cited behind its scores is one it may open, and the hub-only reports behind the
//    analyst's top group are never cited (detected communities differ between the two boards by
//    design: they are found in each viewer's own network).
//
// Nothing may leave 127.0.0.1.
//
//   cargo build --bin tessera && TESSERA_BIN=$PWD/target/debug/tessera node --test e2e/groups.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, stopDemo, loginPage } from './harness.mjs';

let demo;
let server;
let browser;

before(async () => {
  demo = await startDemo('groups');
  ({ server, browser } = demo);
});

after(() => stopDemo(demo));

/** Logs `user` in on a new page. */
const login = (user) => loginPage(browser, server.url, user);

/** The board's rows: id, band and priority, in the order shown. */
async function board(page) {
  await page.locator('a.groups-link').click();
  await page.waitForURL(`${server.url}/groups`);
  return page.locator('table.groups tr.group').evaluateAll((rows) =>
    rows.map((r) => ({
      id: r.dataset.group,
      band: r.dataset.band,
      priority: Number(r.querySelector('.priority').textContent),
      confidence: r.querySelector('.confidence').textContent.trim(),
      href: r.querySelector('a.group-link').getAttribute('href'),
    })),
  );
}

let analystBoard = [];

test("the analyst's board ranks the groups and a group's page explains every score", async () => {
  const { page, foreign, errors } = await login('analyst.nca');
  analystBoard = await board(page);
  assert.ok(analystBoard.length >= 3, `the demo has several groups: ${JSON.stringify(analystBoard)}`);
  for (let i = 1; i < analystBoard.length; i++) {
    assert.ok(analystBoard[i].priority <= analystBoard[i - 1].priority, 'ranked by priority');
  }
  for (const g of analystBoard) {
    assert.ok(['high', 'significant', 'moderate', 'low'].includes(g.band), g.band);
    assert.notEqual(g.confidence, '', 'each group has its confidence');
  }
  assert.equal(Number(await page.locator('#group-total').textContent()), analystBoard.length);

  // The top group's page: the three dimensions, each factor with its level and descriptor.
  await page.locator('table.groups tr.group a.group-link').first().click();
  await page.waitForURL(/\/groups\//);
  for (const dimension of ['harm', 'capability', 'intent']) {
    assert.equal(await page.locator(`section.dimension[data-dimension="${dimension}"]`).count(), 1, dimension);
  }
  const factors = page.locator('section.factor');
  assert.ok((await factors.count()) >= 10, 'the factors are listed');
  const first = factors.first();
  assert.match(await first.getAttribute('data-level'), /^[0-4]?$/);
  assert.notEqual((await first.locator('.descriptor').textContent()).trim(), '');
  // Some factor rests on reports, linked to their pages.
  assert.ok((await page.locator('section.factor a.report-link').count()) >= 1, 'facts link to their reports');
  assert.match(await page.locator('.group-scores').textContent(), /Priority\s*\d/);
  // What the plan and the log hold against it.
  assert.equal(await page.locator('section.against').count(), 1, 'the plan and the log against the group');

  // From the group to its link chart.
  await page.locator('a.network-link').click();
  await page.waitForURL(/\/network\?seed=/);
  await page.waitForFunction(() => document.getElementById('net-canvas')?.dataset.state === 'ready', null, {
    timeout: 30_000,
  });
  assert.ok(Number(await page.locator('#net-canvas').getAttribute('data-nodes')) >= 2);

  assert.deepEqual(foreign, [], 'nothing is fetched from outside the server');
  assert.deepEqual(errors, [], 'no script errors');
  await page.close();
});

test("a partner's board cites only reports the partner may open", async () => {
  const { page, foreign, errors } = await login('liaison.fr');
  const partner = await board(page);
  assert.ok(partner.length >= 1, 'the partner sees some groups (code P material and detected communities)');
  // Every report behind every score on the partner's top groups is one the partner may open.
  const cited = new Set();
  for (const g of partner.slice(0, 3)) {
    await page.goto(`${server.url}${g.href}`);
    for (const href of await page.locator('a.report-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      cited.add(href);
    }
  }
  for (const href of cited) {
    const r = await page.request.get(`${server.url}${href}`);
    assert.equal(r.status(), 200, `${href} is cited on the partner's board, so the partner must be able to open it`);
  }
  // And the analyst's reports that the partner may not open are never cited.
  const { page: hub } = await login('analyst.nca');
  await hub.goto(`${server.url}${analystBoard[0].href}`);
  const hubCited = await hub.locator('a.report-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  let hiddenFromPartner = 0;
  for (const href of new Set(hubCited)) {
    if ((await page.request.get(`${server.url}${href}`)).status() === 404) {
      hiddenFromPartner++;
      assert.ok(!cited.has(href), `${href} is hidden from the partner but cited on its board`);
    }
  }
  assert.ok(hiddenFromPartner >= 1, "the top group rests on some hub-only reports (else this test proves nothing)");
  await hub.close();
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await page.close();
});

// Browser test of the threat group's pages on the demo (real binary, Debian's chromium): the
// action-plan board (a column per stream; a status change from the card lands in the history),
// the disruption log with the written impact criteria, the sufficiency and impact review with its
// charts, and the review paper as PDF, checked page by page with pypdf (scripts/report_pdf_check.py):
// the banner and page numbers on every page, the sections' text and at least three charts. A partner
// liaison officer sees only the plan's P-handled actions and is refused the review.
//
//   cargo build --bin tessera && TESSERA_BIN=$PWD/target/debug/tessera node --test e2e/review.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startDemo, stopDemo, repo, loginPage } from './harness.mjs';

let demo;
let dataDir;
let server;
let browser;

before(async () => {
  demo = await startDemo('review');
  ({ dataDir, server, browser } = demo);
});

after(() => stopDemo(demo));

let hubActions = 0;

test('the action-plan board shows the four streams and a status change lands in the history', async () => {
  const { page, foreign, errors } = await loginPage(browser, server.url, 'analyst.nca');
  await Promise.all([page.waitForURL(`${server.url}/plan`), page.locator('a.plan-link').click()]);
  for (const stream of ['facilitation', 'clandestine_entry', 'false_documentation', 'abuse_of_legitimate_entry']) {
    assert.equal(await page.locator(`section.plan-stream[data-stream="${stream}"]`).count(), 1, stream);
    assert.ok((await page.locator(`section.plan-stream[data-stream="${stream}"] .stream-lead`).count()) >= 1, `${stream} lead`);
  }
  hubActions = await page.locator('article.action-card').count();
  assert.ok(hubActions >= 10, `the demo's actions: ${hubActions}`);
  assert.ok((await page.locator('.chip.overdue').count()) >= 1, 'an overdue action is flagged');

  const card = page.locator('article.action-card[data-status="in_progress"]').first();
  const reference = await card.getAttribute('data-reference');
  await card.locator('select[name="status"]').selectOption('complete');
  await card.locator('input[name="note"]').fill('charged and closed by e2e');
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/status') && r.request().method() === 'POST'),
    card.locator('button[type=submit]').click(),
  ]);
  assert.equal(posted.status(), 303, await posted.text().catch(() => ''));
  await page.waitForLoadState('load');
  const after = page.locator(`article.action-card[data-reference="${reference}"]`);
  assert.equal(await after.getAttribute('data-status'), 'complete');
  assert.match(await after.textContent(), /charged and closed by e2e/);

  assert.deepEqual(foreign, [], 'nothing is fetched from outside the server');
  assert.deepEqual(errors, [], 'no script errors');
  await page.close();
});

test('the disruption log shows each disruption with its grading under the written criteria', async () => {
  const { page, errors } = await loginPage(browser, server.url, 'analyst.nca');
  await Promise.all([page.waitForURL(`${server.url}/disruptions`), page.locator('a.disruptions-link').click()]);
  const criteria = page.locator('details.impact-criteria dt');
  const levels = await criteria.allTextContents();
  for (const level of ['Major', 'Moderate', 'Minor']) assert.ok(levels.includes(level), `criteria for ${level}`);
  const rows = page.locator('tr.disruption');
  assert.ok((await rows.count()) >= 5, 'the demo disruptions');
  const major = page.locator('tr.disruption[data-impact="major"]').first();
  await major.locator('summary').click();
  assert.match(await major.locator('p.assessed').textContent(), /The criteria give/);
  assert.ok((await major.locator('details ul li').count()) >= 1, 'the rules that held are listed');

  // Record one from the form: a seizure worth £30,000 is moderate under the criteria.
  const before = await rows.count();
  const form = page.locator('details.record-disruption');
  await form.locator('summary').click();
  await form.locator('input[name="reference"]').fill('DIS-E2E-1');
  await form.locator('select[name="kind"]').selectOption('seizure');
  await form.locator('input[name="date"]').fill('2025-06-01');
  await form.locator('textarea[name="summary"]').fill('Cash found in a lorry cab at Dover.');
  await form.locator('select[name="asset_kind"]').selectOption('cash');
  await form.locator('input[name="asset_description"]').fill('cash in a holdall');
  await form.locator('input[name="asset_value"]').fill('30000');
  await form.locator('select[name="impact"]').selectOption('moderate');
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/disruptions') && r.request().method() === 'POST'), form.locator('button[type=submit]').click()]);
  await page.waitForLoadState('load');
  assert.equal(await rows.count(), before + 1, await page.locator('main').textContent());
  const recorded = page.locator('tr.disruption[data-reference="DIS-E2E-1"]');
  await recorded.locator('summary').click();
  assert.match(await recorded.locator('p.assessed').textContent(), /Moderate/);
  assert.match(await recorded.textContent(), /£30,000/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the review draws its charts and its PDF paper passes the page-by-page check', async () => {
  const { page, foreign, errors } = await loginPage(browser, server.url, 'analyst.nca');
  await Promise.all([page.waitForURL(`${server.url}/review`), page.locator('a.review-link').click()]);
  const charts = page.locator('.tessera-report figure.chart svg');
  assert.ok((await charts.count()) >= 3, 'coverage, impact and returns charts');
  for (const svg of await charts.all()) {
    const box = await svg.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 80, 'each chart is laid out');
    assert.ok((await svg.locator('rect, path, polyline, line').count()) > 3, 'each chart draws marks');
  }
  const body = await page.locator('.tessera-report').textContent();
  assert.match(body, /GAP/, 'the coverage matrix shows gaps');
  assert.match(body, /Boulogne boat crew/, 'displacement to the Boulogne crew is named');

  // The paper, as the meeting gets it: downloaded with the session, then checked page by page.
  const href = await page.locator('#review-pdf').getAttribute('href');
  const response = await page.request.get(`${server.url}${href}`);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-type'], 'application/pdf');
  const pdf = join(dataDir, 'review.pdf');
  writeFileSync(pdf, await response.body());
  const expect = join(dataDir, 'review-expect.json');
  writeFileSync(expect, JSON.stringify({
    min_pages: 3,
    every_page: ['SECRET'],
    page_numbers: true,
    text: { 1: ['Sufficiency and impact review', 'Headlines', 'analyst.nca'] },
    anywhere: ['Sufficiency: who is acting', 'High risk, low return', 'The Strategic Action Plan', 'Disruption log', 'Dunkirk boat crew'],
    min_figures: 3,
  }));
  const out = execFileSync('python3', [join(repo, 'scripts', 'report_pdf_check.py'), pdf, expect], { encoding: 'utf8' });
  assert.match(out, /^OK /);

  // The HTML paper opens on its own, with its charts.
  const html = await browser.newPage();
  const htmlHref = await page.locator('#review-html').getAttribute('href');
  await html.context().addCookies(await page.context().cookies());
  await html.goto(`${server.url}${htmlHref}`);
  assert.ok((await html.locator('figure.chart svg').count()) >= 3);
  assert.match(await html.locator('.banner.top').textContent(), /SECRET/);
  await html.close();

  assert.deepEqual(foreign, [], 'nothing is fetched from outside the server');
  assert.deepEqual(errors, [], 'no script errors');
  await page.close();
});

test('the threat assessment paper carries charts and the map', async () => {
  const { page } = await loginPage(browser, server.url, 'analyst.nca');
  const response = await page.request.get(`${server.url}/reports/threat-assessment.pdf`);
  assert.equal(response.status(), 200);
  const pdf = join(dataDir, 'assessment.pdf');
  writeFileSync(pdf, await response.body());
  const expect = join(dataDir, 'assessment-expect.json');
  writeFileSync(expect, JSON.stringify({
    min_pages: 3,
    page_numbers: true,
    text: { 1: ['Threat assessment', 'Prepared for'] },
    anywhere: ['Organised crime groups', 'By route', 'Reports naming each country', 'External context: FRONTEX detections'],
    min_figures: 5,
  }));
  const out = execFileSync('python3', [join(repo, 'scripts', 'report_pdf_check.py'), pdf, expect], { encoding: 'utf8' });
  assert.match(out, /Map1/, 'the map is drawn');
  await page.close();
});

test('a partner liaison officer sees only shared actions and has no review', async () => {
  const { page } = await loginPage(browser, server.url, 'liaison.fr');
  assert.equal(await page.locator('a.review-link').count(), 0, 'the review is not offered to a partner');
  await page.goto(`${server.url}/plan`);
  const partnerActions = await page.locator('article.action-card').count();
  assert.ok(partnerActions < hubActions, `partner ${partnerActions} of ${hubActions}`);
  assert.equal(await page.locator('form.action-status').count(), 0, 'a partner cannot change the plan');
  const review = await page.goto(`${server.url}/review`);
  assert.equal(review.status(), 403);
  const paper = await page.request.get(`${server.url}/reports/review.pdf`);
  assert.equal(paper.status(), 403);
  await page.close();
});

test("a group's page lists the actions and disruptions against it", async () => {
  const { page } = await loginPage(browser, server.url, 'analyst.nca');
  await Promise.all([page.waitForURL(`${server.url}/groups`), page.locator('a.groups-link').click()]);
  const dunkirk = page.locator('table.groups tr.group a.group-link', { hasText: 'Dunkirk boat crew' }).first();
  await Promise.all([page.waitForURL(/\/groups\//), dunkirk.click()]);
  const against = page.locator('section.against');
  assert.ok((await against.locator('ul.group-disruptions li').count()) >= 3, 'the arrests, charges and convictions');
  assert.ok((await against.locator('ul.group-actions li').count()) >= 1, 'the actions that target it');
  await page.close();
});

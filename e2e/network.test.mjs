// Browser test of the link chart (/network): the real binary and server, Debian's chromium.
//
// 1. Against the real API: a small generated scenario (its organised crime groups), the chart of
//    a group opened from its entity page; the canvas draws nodes, double-clicking a member expands
//    it, clicking a link on the canvas and a link in the side panel opens its provenance, whose
//    report links lead to /report/. The chart saved as an image: a PNG whose bands carry the
//    highest classification of what it shows (as the API gives it), its export in the audit log.
// 2. Against fixtures (e2e/fixtures/network.json, served in place of /api/network by the browser):
//    the chart's logic — captions stay text, community colours survive an expansion, link-type
//    and time filters, pinning by dragging and by button, grouping, zoom, Escape, API errors shown,
//    and a 3,000-node network drawn within a frame budget.
//
// Nothing may leave 127.0.0.1 in either.
//
//   cargo build --bin tessera && TESSERA_BIN=$PWD/target/debug/tessera node --test e2e/network.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bin, outDir, tessera, freePort, startServer, stopServer, launchBrowser } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, 'fixtures', 'network.json'), 'utf8'));

let dataDir;
let server;
let browser;
let baseUrl;

before(async () => {
  assert.ok(existsSync(bin), `no tessera binary at ${bin} (cargo build --bin tessera, or set TESSERA_BIN)`);
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-network-'));
  const scenario = join(dataDir, 'scenario.jsonl');
  // The demo generator without its users: the server runs in single-user mode.
  tessera(dataDir, ['demo', '--reports', '300', '--seed', '7', '--write', scenario, '--no-load']);
  tessera(dataDir, ['init']);
  tessera(dataDir, ['ingest', '--quiet', scenario]);
  tessera(dataDir, ['entities', 'resolve']);
  server = await startServer(dataDir, await freePort(), 200);
  baseUrl = server.url;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await stopServer(server?.process);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A page that records requests leaving the server, script errors and CSP violations. */
async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1200 } });
  const foreign = [];
  const errors = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(baseUrl)) foreign.push(req.url());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return { page, foreign, errors };
}

const chartState = (page) => page.locator('#net-canvas').getAttribute('data-state');
const shownNodes = async (page) => Number(await page.locator('#net-canvas').getAttribute('data-nodes'));
const shownEdges = async (page) => Number(await page.locator('#net-canvas').getAttribute('data-edges'));
/** Waits (up to 5 s: the chart redraws on the next animation frame, late on a loaded machine) until `n` links are shown. */
const expectEdges = async (page, n) => {
  await page
    .waitForFunction((want) => Number(document.getElementById('net-canvas').dataset.edges) === want, n, { timeout: 5_000 })
    .catch(() => {});
  assert.equal(await shownEdges(page), n);
};

async function waitReady(page) {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('net-canvas')?.dataset.state));
  assert.equal(await chartState(page), 'ready', await page.locator('#net-error').innerText());
}

async function waitSettled(page) {
  await page.waitForFunction(() => window.tesseraChart && window.tesseraChart.settled(), null, { timeout: 30_000 });
}

/** A shown edge whose midpoint, on screen, hits that edge and nothing else; with its client coordinates. */
async function clickableEdge(page, wanted) {
  return page.evaluate((wantedId) => {
    const chart = window.tesseraChart;
    for (const e of chart.edges()) {
      if (!e.shown || (wantedId && e.id !== wantedId)) continue;
      const p = chart.edgeMidpoint(e.id);
      if (!p || p.x < 0 || p.y < 40 || p.x > window.innerWidth || p.y > window.innerHeight) continue;
      const hit = chart.hitTest(p.x, p.y);
      if (hit.edge === e.id && hit.node === null) return { ...e, x: p.x, y: p.y };
    }
    return null;
  }, wanted || null);
}

const position = (page, id) => page.evaluate((nodeId) => window.tesseraChart.screenPosition(nodeId), id);

test('the link chart of a demo group: nodes drawn, a member expanded, provenance opened from the canvas and from the panel', async () => {
  // The group with the most members visible, from the API the chart itself uses.
  const whole = await (await fetch(`${baseUrl}/api/network?limit=2000`)).json();
  const orgs = whole.nodes.filter((n) => n.kind === 'Organization').sort((a, b) => b.degree - a.degree);
  assert.ok(orgs.length > 0, 'the scenario has organised crime groups');
  const org = orgs[0];

  const { page, foreign, errors } = await openPage();
  await page.goto(`${baseUrl}/entity/${encodeURIComponent(org.id)}`);
  await Promise.all([page.waitForURL(/\/network\?seed=/), page.locator('a.network-link').click()]);
  const response = await page.request.get(page.url());
  assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
  assert.doesNotMatch(response.headers()['content-security-policy'], /unsafe-inline/);
  await waitReady(page);
  await waitSettled(page);

  const before = await page.evaluate(() => window.tesseraChart.nodes());
  assert.ok(before.length > 1, 'the group and its members are drawn');
  assert.equal(await shownNodes(page), before.filter((n) => n.shown).length);
  assert.ok((await shownEdges(page)) > 0);
  assert.ok(before.some((n) => n.seed && n.id === org.id), 'the group is the seed');
  // The seed is selected: its panel shows its caption and entity page.
  await page.waitForSelector('#net-node:not([hidden])');
  assert.equal(await page.locator('#net-node-caption').innerText(), org.caption);
  assert.equal(await page.locator('#net-node-link').getAttribute('href'), `/entity/${encodeURIComponent(org.id)}`);
  assert.ok((await page.locator('#net-node-links button.net-link').count()) > 0, 'the panel lists the links');
  // The type checkboxes come from the data.
  assert.ok((await page.locator('#net-types input[data-type]').count()) > 0);

  // A member whose expansion brings in someone new (asked of the API beforehand).
  const ids = new Set(before.map((n) => n.id));
  let member = null;
  for (const n of before.filter((m) => !m.seed)) {
    const around = await (await fetch(`${baseUrl}/api/network?seed=${encodeURIComponent(n.id)}&depth=1`)).json();
    if (around.nodes.some((m) => !ids.has(m.id))) {
      member = n;
      break;
    }
  }
  assert.ok(member, 'some member of the group has links beyond it');
  const at = await position(page, member.id);
  assert.ok(at, 'the member is on screen');
  assert.equal((await page.evaluate(({ x, y }) => window.tesseraChart.hitTest(x, y), at)).node, member.id);
  await page.mouse.dblclick(at.x, at.y);
  await page.waitForFunction((n) => window.tesseraChart.nodes().length > n, before.length);
  const after = await page.evaluate(() => window.tesseraChart.nodes());
  assert.ok(after.find((n) => n.id === member.id).expanded, 'the member is marked expanded');
  assert.equal(await page.locator('#net-node-caption').innerText(), member.caption);
  assert.equal(await page.locator('#net-expand').innerText(), 'Expanded');
  await waitSettled(page);
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'network.png') });

  // A link clicked on the canvas opens its provenance.
  await page.keyboard.press('Escape');
  const edge = await clickableEdge(page);
  assert.ok(edge, 'some link can be clicked on the canvas');
  await page.mouse.click(edge.x, edge.y);
  const panel = page.locator('#net-provenance');
  await page.waitForSelector('#net-provenance[data-state="ready"]');
  assert.equal(await panel.getAttribute('data-edge'), edge.id);
  const statements = panel.locator('li.prov-statement');
  assert.ok((await statements.count()) > 0, 'the statements behind the link are listed');
  const first = statements.first();
  const reportId = await first.getAttribute('data-report');
  assert.ok(reportId, 'each statement names its report');
  const reportLink = first.locator('a.report-link');
  assert.equal(await reportLink.innerText(), reportId);
  assert.equal(await reportLink.getAttribute('href'), `/report/${encodeURIComponent(reportId)}`);
  assert.ok((await first.getAttribute('data-agency')).length > 0);
  assert.match(await first.locator('.marking').innerText(), /OFFICIAL|SECRET/);
  assert.ok((await first.locator('abbr.grading').innerText()).length > 0);
  assert.match(await panel.locator('.page-banner').innerText(), /OFFICIAL|SECRET/);
  await page.screenshot({ path: join(outDir, 'network-provenance.png') });

  // Escape closes the provenance panel; the member's panel lists its links as buttons that open provenance too.
  await page.keyboard.press('Escape');
  assert.ok(await panel.isHidden());
  const m = await position(page, member.id);
  await page.mouse.click(m.x, m.y);
  await page.waitForFunction((id) => window.tesseraChart.selected() === id, member.id);
  const linkButton = page.locator('#net-node-links button.net-link').first();
  const linkId = await linkButton.getAttribute('data-edge');
  await linkButton.click();
  await page.waitForSelector('#net-provenance[data-state="ready"]');
  assert.equal(await panel.getAttribute('data-edge'), linkId);
  assert.ok((await panel.locator('li.prov-statement a.report-link').count()) > 0);

  // The report link leads to the report.
  const target = panel.locator('li.prov-statement a.report-link').first();
  const targetId = await target.innerText();
  await Promise.all([page.waitForURL(/\/report\//), target.click()]);
  assert.equal(await page.locator('.report-head .report-id').innerText(), targetId);

  assert.deepEqual(errors, [], 'no script error or CSP violation');
  assert.deepEqual(foreign, [], 'no request left the server');
  await page.close();
});

const CLASSIFICATIONS = ['OFFICIAL', 'OFFICIAL-SENSITIVE', 'SECRET', 'TOP SECRET'];

test('the chart of a demo group saved as an image: marked by what it shows, and the export audited', async () => {
  const whole = await (await fetch(`${baseUrl}/api/network?limit=2000`)).json();
  const org = whole.nodes.filter((n) => n.kind === 'Organization').sort((a, b) => b.degree - a.degree)[0];
  assert.ok(org, 'the scenario has organised crime groups');
  // What the chart loads, and the highest classification among its entities and links.
  const loaded = await (await fetch(`${baseUrl}/api/network?seed=${encodeURIComponent(org.id)}&depth=1&limit=2000`)).json();
  const levels = [...loaded.nodes, ...loaded.edges].map((x) => CLASSIFICATIONS.indexOf(x.classification)).filter((l) => l >= 0);
  assert.ok(levels.length > loaded.edges.length, 'every link and the named entities carry a classification');
  const expected = CLASSIFICATIONS[Math.max(...levels)];

  const { page, foreign, errors } = await openPage();
  await page.goto(`${baseUrl}/network?seed=${encodeURIComponent(org.id)}`);
  await waitReady(page);
  await waitSettled(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#net-save').click()]);
  const picture = await page.evaluate(() => window.tesseraChart.picture());
  assert.ok(picture, 'the chart says what it saved');
  assert.equal(picture.classification, expected, 'marked with the highest classification of what it shows');
  assert.equal(picture.nodes, await shownNodes(page));
  assert.match(picture.reference, /^LC-\d+-/);
  assert.equal(download.suggestedFilename(), picture.file);
  assert.match(await page.locator('#net-status').innerText(), new RegExp(picture.reference));

  // A PNG of the chart with a band above and below.
  mkdirSync(outDir, { recursive: true });
  await download.saveAs(join(outDir, 'network-saved-image.png'));
  const png = readFileSync(join(outDir, 'network-saved-image.png'));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  assert.equal(png.readUInt32BE(16), picture.width);
  assert.equal(png.readUInt32BE(20), picture.height);
  const canvasHeight = await page.evaluate(() => document.getElementById('net-canvas').height);
  assert.ok(picture.height > canvasHeight, 'bands above and below the chart');
  // The bands have the marking's colour (read back in a blank page: the chart's CSP allows no data: images).
  const blank = await browser.newPage();
  const corners = await blank.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const at = (x, y) => [...g.getImageData(x, y, 1, 1).data.slice(0, 3)];
    return { top: at(2, 2), bottom: at(2, img.height - 3) };
  }, `data:image/png;base64,${png.toString('base64')}`);
  await blank.close();
  const bandColour = { OFFICIAL: [0xe6, 0xef, 0xe8], 'OFFICIAL-SENSITIVE': [0xe3, 0xed, 0xf6], SECRET: [0xb3, 0x26, 0x1e], 'TOP SECRET': [0xc2, 0x54, 0x00] }[expected];
  assert.deepEqual(corners.top, bandColour);
  assert.deepEqual(corners.bottom, bandColour);

  // The export is in the audit log under its reference, with what it showed.
  const records = JSON.parse(tessera(dataDir, ['audit', 'list', '--action', 'export_network_image', '--json', '--contains', picture.reference]));
  assert.equal(records.length, 1, JSON.stringify(records));
  assert.match(records[0].detail, new RegExp(`marked ${expected}`));
  assert.ok(records[0].detail.includes(org.id), 'the record lists the entities shown');

  assert.deepEqual(errors, [], 'no script error or CSP violation');
  assert.deepEqual(foreign, [], 'no request left the server');
  await page.close();
});

/** Clicks a node on the canvas, checking first that the click would hit it. */
async function clickNode(page, id) {
  const p = await position(page, id);
  assert.ok(p, `${id} is on screen`);
  assert.equal((await page.evaluate(({ x, y }) => window.tesseraChart.hitTest(x, y), p)).node, id, `a click at ${id} hits it`);
  await page.mouse.click(p.x, p.y);
}

/** The URLs of the requests the page made to an API path. */
function recordRequests(page, path) {
  const urls = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname === path) urls.push(req.url());
  });
  return urls;
}

test('the analyst tools on a demo group: how two members are linked, disruption planning, change over time', async () => {
  const whole = await (await fetch(`${baseUrl}/api/network?limit=2000`)).json();
  const org = whole.nodes.filter((n) => n.kind === 'Organization').sort((a, b) => b.degree - a.degree)[0];
  const { page, foreign, errors } = await openPage();
  const removalUrls = recordRequests(page, '/api/network/removal');
  const timelineUrls = recordRequests(page, '/api/network/timeline');
  await page.goto(`${baseUrl}/network?seed=${encodeURIComponent(org.id)}`);
  await waitReady(page);
  await waitSettled(page);
  const members = (await page.evaluate(() => window.tesseraChart.nodes())).filter((n) => !n.seed && n.kind === 'Person');
  assert.ok(members.length >= 3, 'the group has at least three members on the chart');
  const [a, b] = members;

  // 1. How are these two linked? Select one member, "Path to…", click the other.
  await clickNode(page, a.id);
  await page.waitForFunction((id) => window.tesseraChart.selected() === id, a.id);
  await page.locator('#net-path-start').click();
  assert.equal(await page.evaluate(() => window.tesseraChart.picking()), true, 'the next click picks the other end');
  assert.equal(await page.locator('#net-path-from').innerText(), a.caption);
  await clickNode(page, b.id);
  await page.waitForSelector('#net-path[data-state="ready"]');
  assert.equal(await page.evaluate(() => window.tesseraChart.selected()), a.id, 'picking the other end keeps the selection');
  const expected = await (await fetch(`${baseUrl}/api/network/paths?from=${encodeURIComponent(a.id)}&to=${encodeURIComponent(b.id)}&k=3`)).json();
  assert.ok(expected.paths.length >= 1, 'two members of one group are linked');
  const firstPath = page.locator('#net-path-list section.path-item[data-path="0"]');
  const hops = await firstPath.locator('li.path-hop').count();
  assert.ok(hops >= 1, 'the panel lists the hops');
  assert.equal(hops, expected.paths[0].hops.length);
  assert.equal(await page.locator('#net-path-list section.path-item').count(), expected.paths.length);
  const highlighted = await page.evaluate(() => window.tesseraChart.highlightedPath());
  assert.equal(highlighted.length, hops + 1, 'the highlighted path has one node more than it has hops');
  assert.deepEqual(highlighted, expected.paths[0].nodes);
  assert.equal(highlighted[0], a.id);
  assert.equal(highlighted.at(-1), b.id);
  assert.match(await page.locator('#net-path-summary').innerText(), /the shortest has \d+ hops?/);
  // Each hop reads "A —type→ B" with its agencies and weight.
  const route = await firstPath.locator('li.path-hop').first().locator('.hop-route').first().innerText();
  assert.ok(route.startsWith(a.caption), `the first hop starts at ${a.caption}: ${route}`);
  assert.match(route, /—\w+(→|—)|←\w+—/);
  assert.match(await firstPath.locator('.hop-evidence').first().innerText(), /agenc(y|ies) · .*weight \d\.\d\d/);
  await page.screenshot({ path: join(outDir, 'network-path.png') });
  // A hop's provenance opens in the provenance panel, with its reports.
  await firstPath.locator('button.hop-prov').first().click();
  await page.waitForSelector('#net-provenance[data-state="ready"]');
  const report = page.locator('#net-provenance li.prov-statement a.report-link').first();
  assert.match(await report.getAttribute('href'), /^\/report\//);
  assert.ok((await page.locator('#net-provenance li.prov-statement').count()) > 0);
  await page.keyboard.press('Escape');

  // In time order: one path whose hops carry dates, or "no path in time order".
  const ordered = await (await fetch(`${baseUrl}/api/network/paths?from=${encodeURIComponent(a.id)}&to=${encodeURIComponent(b.id)}&ordered=true`)).json();
  await page.locator('#net-path-ordered').check();
  await page.waitForFunction(() => document.getElementById('net-path').dataset.state === 'ready' && document.getElementById('net-path-ordered').checked);
  await page.waitForFunction(() => !/Looking/.test(document.getElementById('net-path-summary').textContent));
  if (ordered.paths.length) {
    const dates = await page.locator('#net-path-list .hop-date').allInnerTexts();
    assert.equal(dates.length, ordered.paths[0].hops.length);
    assert.deepEqual(dates, ordered.paths[0].hops.map((h) => (h.observed ? `observed ${h.observed}` : 'undated')));
    assert.deepEqual(await page.evaluate(() => window.tesseraChart.highlightedPath()), ordered.paths[0].nodes);
  } else {
    assert.match(await page.locator('#net-path-summary').innerText(), /No path in time order/);
    assert.equal(await page.evaluate(() => window.tesseraChart.highlightedPath()), null);
  }
  await page.locator('#net-path-close').click();
  assert.equal(await page.evaluate(() => window.tesseraChart.highlightedPath()), null, 'closing the panel clears the path');

  // 2. Disruption planning: three removals among people, in order, each leaving fewer connected pairs.
  await page.locator('#net-disrupt-open').click();
  assert.match(await page.locator('#net-disrupt-scope').innerText(), /chosen or expanded entit/);
  await page.locator('#net-disrupt-k').fill('3');
  await page.locator('#net-disrupt-form button[type="submit"]').click();
  await page.waitForSelector('#net-disrupt[data-state="ready"]');
  const steps = page.locator('#net-disrupt-steps li.disrupt-step');
  assert.equal(await steps.count(), 3);
  const pairs = (await steps.evaluateAll((els) => els.map((e) => Number(e.dataset.pairs))));
  const initial = Number((await page.locator('#net-disrupt-summary').innerText()).match(/Before: ([\d,]+) connected pair/)[1].replace(/,/g, ''));
  assert.ok(initial > pairs[0] && pairs[0] > pairs[1] && pairs[1] > pairs[2], `connected pairs decrease: ${initial} ${pairs.join(' ')}`);
  const removedIds = await steps.evaluateAll((els) => els.map((e) => e.dataset.entity));
  assert.deepEqual((await page.evaluate(() => window.tesseraChart.removed())).sort(), [...removedIds].sort(), 'the removed nodes are marked on the chart');
  // The page asked for the chart's own scope, and shows what the API answered.
  const asked = new URL(removalUrls.at(-1));
  assert.deepEqual(asked.searchParams.getAll('seed'), [org.id]);
  assert.equal(asked.searchParams.get('depth'), '1');
  assert.equal(asked.searchParams.get('kinds'), 'Person');
  const plan = await (await fetch(asked)).json();
  assert.deepEqual(removedIds, plan.steps.map((s) => s.node.id));
  assert.deepEqual(pairs, plan.steps.map((s) => s.after.connected_pairs));
  for (const id of removedIds) assert.equal((await steps.locator(`button.net-ref[data-id="${id}"]`).count()), 1, `${id} is listed by name`);
  // With organisations, the group itself goes first and its members fall apart: they are faded.
  await page.locator('#net-disrupt-org').check();
  await page.locator('#net-disrupt-form button[type="submit"]').click();
  await page.waitForFunction(() => document.getElementById('net-disrupt').dataset.state === 'ready' && document.querySelector('#net-disrupt-steps li')?.dataset.entity);
  assert.equal(new URL(removalUrls.at(-1)).searchParams.get('kinds'), 'Person,Organization');
  assert.equal((await page.evaluate(() => window.tesseraChart.removed()))[0], org.id);
  assert.ok((await page.evaluate(() => window.tesseraChart.cutOff())).length > 0, 'members cut off from the largest remaining group are marked');
  await page.screenshot({ path: join(outDir, 'network-disrupt.png') });
  await page.locator('#net-disrupt-clear').click();
  assert.deepEqual(await page.evaluate(() => window.tesseraChart.removed()), [], 'Clear restores the view');
  assert.deepEqual(await page.evaluate(() => window.tesseraChart.cutOff()), []);
  assert.equal(await steps.count(), 0);
  await page.locator('#net-disrupt-close').click();

  // 3. Change over time: the second window sets the time filter and lists who entered and left.
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => window.tesseraChart.selected()), null);
  await page.locator('#net-timeline-open').click();
  await page.waitForSelector('#net-timeline[data-state="ready"]');
  const timeline = await (await fetch(timelineUrls.at(-1))).json();
  assert.ok(timeline.windows.length >= 2, 'the group spans several quarters');
  assert.equal(await page.locator('#net-timeline-slider').getAttribute('max'), String(timeline.windows.length - 1));
  await page.locator('#net-timeline-next').click();
  const second = timeline.windows[1];
  assert.equal(await page.locator('#net-from').inputValue(), second.start);
  assert.equal(await page.locator('#net-until').inputValue(), second.end);
  assert.equal(await page.locator('#net-timeline-label').innerText(), `Window 2 of ${timeline.windows.length}: ${second.start} – ${second.end}`);
  assert.equal(await page.locator('#net-timeline-entered-count').innerText(), String(second.entered.length));
  assert.equal(await page.locator('#net-timeline-left-count').innerText(), String(second.left.length));
  assert.deepEqual(await page.locator('#net-timeline-entered .net-ref').allInnerTexts(), second.entered.slice(0, 80).map((r) => r.caption));
  assert.deepEqual(await page.locator('#net-timeline-left .net-ref').allInnerTexts(), second.left.slice(0, 80).map((r) => r.caption));
  if (!second.entered.length) assert.equal(await page.locator('#net-timeline-entered li.empty').count(), 1);
  await page.screenshot({ path: join(outDir, 'network-timeline.png') });
  // The status line reflects the filter: fewer links shown than loaded.
  assert.match(await page.locator('#net-status').innerText(), /of \d+ links shown/);
  // A name in the lists selects and centres that node.
  const named = page.locator('#net-timeline-entered button.net-ref, #net-timeline-left button.net-ref, #net-timeline-broker button.net-ref').first();
  const namedId = await named.getAttribute('data-id');
  await named.click();
  assert.equal(await page.evaluate(() => window.tesseraChart.selected()), namedId);

  // Who replaced them? The answer (successors, or the API's reason why not) is shown in the node's panel.
  await page.locator('#net-replaced').click();
  await page.waitForSelector('#net-node-successors[data-state="ready"], #net-node-successors[data-state="error"]');
  const replacedUrl = timelineUrls.at(-1);
  assert.equal(new URL(replacedUrl).searchParams.get('replaced'), namedId);
  const replaced = await fetch(replacedUrl);
  const body = await replaced.json();
  if (replaced.ok) {
    assert.equal(await page.locator('#net-successors-list li.successor').count(), body.departure.successors.length);
    assert.match(await page.locator('#net-successors-status').innerText(), new RegExp(`Last seen in window ${body.departure.last_window + 1} of`));
  } else {
    assert.equal(await page.locator('#net-successors-error').innerText(), body.error.message);
  }
  // Stepping back to the first window and "All time" clear the filter again.
  await page.locator('#net-timeline-prev').click();
  assert.equal(await page.locator('#net-from').inputValue(), timeline.windows[0].start);
  await page.locator('#net-timeline-clear').click();
  assert.equal(await page.locator('#net-from').inputValue(), '');
  assert.equal(await page.locator('#net-until').inputValue(), '');

  assert.deepEqual(errors, [], 'no script error or CSP violation');
  assert.deepEqual(foreign, [], 'no request left the server');
  await page.close();
});

/** Serves the fixture answers in place of the API; records the network requests. */
async function withFixtures(page, overrides = {}) {
  const requests = [];
  await page.route(/\/api\/network\?/, (route) => {
    const url = new URL(route.request().url());
    const seeds = url.searchParams.getAll('seed');
    requests.push(seeds);
    if (overrides.network) return route.fulfill(overrides.network(seeds));
    const body = seeds.includes('FX:P-1') ? fixture.expansion : fixture.initial;
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  await page.route(/\/api\/network\/edge\?/, (route) => {
    const url = new URL(route.request().url());
    const [source, target, type] = ['source', 'target', 'type'].map((k) => url.searchParams.get(k));
    if (type === 'paid') {
      return route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'not_found', message: `no link ${source} paid ${target}` } }) });
    }
    const body = { source, target, type, weight: 0.83, explanation: '3 statements from 3 agencies (BF, DEBRIEF, NCA); best grading 1A P', statements: fixture.statements };
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  return requests;
}

test('the chart logic on fixtures: text only, stable colours, filters, pins, grouping, zoom, Escape, errors', async () => {
  const { page, foreign, errors } = await openPage();
  const requests = await withFixtures(page);
  await page.goto(`${baseUrl}/network?seed=FX%3AORG-1`);
  await waitReady(page);
  await waitSettled(page);
  assert.deepEqual(requests[0], ['FX:ORG-1']);
  assert.equal(await shownNodes(page), 7);
  await expectEdges(page, 8);

  // A caption full of markup stays text.
  assert.equal(await page.locator('#injected').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  const hostile = await position(page, 'FX:P-5');
  await page.mouse.click(hostile.x, hostile.y);
  assert.match(await page.locator('#net-node-caption').innerText(), /^<img src=x/);
  assert.equal(await page.locator('#net-node img').count(), 0);

  // Expanding asks for the whole chart (seed and expanded node) and keeps the colours of the nodes already drawn.
  const colours = Object.fromEntries((await page.evaluate(() => window.tesseraChart.nodes())).map((n) => [n.id, n.community]));
  const p1 = await position(page, 'FX:P-1');
  await page.mouse.click(p1.x, p1.y);
  await page.locator('#net-expand').click();
  await page.waitForFunction(() => window.tesseraChart.nodes().length === 10);
  assert.deepEqual(requests.at(-1).sort(), ['FX:ORG-1', 'FX:P-1']);
  const expanded = await page.evaluate(() => window.tesseraChart.nodes());
  const community = Object.fromEntries(expanded.map((n) => [n.id, n.community]));
  for (const id of ['FX:ORG-1', 'FX:P-1', 'FX:P-3', 'FX:P-4']) assert.equal(community[id], colours[id], `${id} keeps its community colour`);
  assert.notEqual(community['FX:P-6'], community['FX:ORG-1'], 'a new community gets a colour of its own');
  assert.notEqual(community['FX:P-6'], community['FX:P-3']);
  assert.deepEqual(expanded.filter((n) => n.seed).map((n) => n.id), ['FX:ORG-1'], 'only the chosen entity is a seed');
  await expectEdges(page, 11);
  assert.equal(await page.locator('#net-types input[data-type]').count(), 6);
  await waitSettled(page);

  // Link types: hiding member_of hides its links, and the members only linked by it.
  await page.locator('#net-types input[data-type="member_of"]').uncheck();
  await expectEdges(page, 6);
  assert.equal((await page.evaluate(() => window.tesseraChart.nodes())).find((n) => n.id === 'FX:P-2').shown, false);
  await page.locator('#net-types input[data-type="member_of"]').check();
  await expectEdges(page, 11);

  // Time window: from 2025 keeps the links observed then, and undated ones unless excluded.
  await page.locator('#net-from').fill('2025-01-01');
  await page.locator('#net-from').dispatchEvent('change');
  const in2025 = fixture.expansion.edges.filter((e) => !e.last || e.last >= '2025-01-01').length;
  await expectEdges(page, in2025);
  await page.locator('#net-undated').uncheck();
  await expectEdges(page, in2025 - 1);
  await page.locator('#net-time-reset').click();
  await expectEdges(page, 11);
  assert.match(await page.locator('#net-period').innerText(), /2022-01-01 – 2025-03-03/);

  // Provenance from the panel: statements with report links, marking banner and the highest marking.
  await page.locator('#net-node-links button.net-link[data-edge="FX:P-1|FX:ORG-1|member_of"]').click();
  await page.waitForSelector('#net-provenance[data-state="ready"]');
  const rows = page.locator('#net-provenance li.prov-statement');
  assert.equal(await rows.count(), 3);
  assert.equal(await rows.nth(1).locator('a.report-link').getAttribute('href'), '/report/BF-2024-000112');
  assert.match(await rows.nth(1).locator('.marking').innerText(), /SECRET \[OP-TIDE\] UK EYES ONLY/);
  assert.match(await rows.nth(1).locator('.marking').getAttribute('class'), /cls-secret/);
  assert.match(await rows.nth(2).innerText(), /no observed date/);
  assert.match(await page.locator('#net-provenance .page-banner').innerText(), /^SECRET/);
  assert.match(await page.locator('#net-prov-explanation').innerText(), /best grading 1A P/);

  // An API error is shown, not swallowed.
  await page.locator('#net-node-links button.net-link[data-edge="FX:P-4|FX:P-1|paid"]').click();
  await page.waitForSelector('#net-provenance[data-state="error"]');
  assert.match(await page.locator('#net-prov-weight').innerText(), /no link FX:P-4 paid FX:P-1/);

  // Escape closes the provenance panel, then the entity panel.
  await page.keyboard.press('Escape');
  assert.ok(await page.locator('#net-provenance').isHidden());
  assert.ok(await page.locator('#net-node').isVisible());
  await page.keyboard.press('Escape');
  assert.ok(await page.locator('#net-node').isHidden());
  assert.equal(await page.evaluate(() => window.tesseraChart.selected()), null);

  // Dragging a node pins it where it was dropped; the Pin button and "Unpin all" release it.
  const from = await position(page, 'FX:P-7');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 60, from.y + 40, { steps: 6 });
  await page.mouse.up();
  await waitSettled(page);
  const dropped = await position(page, 'FX:P-7');
  assert.ok(Math.abs(dropped.x - from.x - 60) < 2 && Math.abs(dropped.y - from.y - 40) < 2, 'the node stays where it was dropped');
  const pinned = () => page.evaluate(() => window.tesseraChart.nodes().filter((n) => n.pinned).map((n) => n.id));
  assert.deepEqual(await pinned(), ['FX:P-7']);
  await page.mouse.click(dropped.x, dropped.y);
  assert.equal(await page.locator('#net-pin').innerText(), 'Unpin');
  await page.locator('#net-pin').click();
  assert.deepEqual(await pinned(), []);
  await page.locator('#net-pin').click();
  await waitSettled(page);
  const p6 = await position(page, 'FX:P-6');
  await page.mouse.click(p6.x, p6.y);
  await page.locator('#net-pin').click();
  assert.deepEqual((await pinned()).sort(), ['FX:P-6', 'FX:P-7']);
  await page.locator('#net-unpin-all').click();
  assert.deepEqual(await pinned(), []);

  // Group by community pulls each community together: members end nearer their own community's centre.
  const spread = () =>
    page.evaluate(() => {
      const chart = window.tesseraChart;
      const groups = new Map();
      for (const n of chart.nodes()) {
        if (n.community === null || !n.shown) continue;
        const p = chart.screenPosition(n.id);
        if (!groups.has(n.community)) groups.set(n.community, []);
        groups.get(n.community).push(p);
      }
      let own = 0;
      let count = 0;
      for (const list of groups.values()) {
        const cx = list.reduce((s, p) => s + p.x, 0) / list.length;
        const cy = list.reduce((s, p) => s + p.y, 0) / list.length;
        for (const p of list) {
          own += Math.hypot(p.x - cx, p.y - cy);
          count++;
        }
      }
      const all = [...groups.values()].flat();
      const ax = all.reduce((s, p) => s + p.x, 0) / all.length;
      const ay = all.reduce((s, p) => s + p.y, 0) / all.length;
      const total = all.reduce((s, p) => s + Math.hypot(p.x - ax, p.y - ay), 0);
      return own / count / (total / all.length);
    });
  const loose = await spread();
  await page.locator('#net-group').check();
  await waitSettled(page);
  const tight = await spread();
  assert.ok(tight < loose, `communities closer together when grouped (${tight.toFixed(2)} < ${loose.toFixed(2)})`);

  // Zoom buttons scale the picture about the centre; Fit brings everything back on screen.
  const gap = async () => {
    const a = await position(page, 'FX:ORG-1');
    const b = await position(page, 'FX:P-6');
    return Math.hypot(a.x - b.x, a.y - b.y);
  };
  const g0 = await gap();
  await page.locator('#net-zoom-in').click();
  assert.ok(Math.abs((await gap()) / g0 - 1.25) < 0.01);
  await page.locator('#net-zoom-out').click();
  await page.locator('#net-zoom-out').click();
  assert.ok((await gap()) < g0);
  await page.locator('#net-fit').click();
  const box = await page.locator('#net-canvas').boundingBox();
  for (const n of await page.evaluate(() => window.tesseraChart.nodes())) {
    const p = await position(page, n.id);
    assert.ok(p.x > box.x && p.x < box.x + box.width && p.y > box.y && p.y < box.y + box.height, `${n.id} on screen after Fit`);
  }
  // Labels appear when zoomed in; the status line counts what is shown.
  assert.match(await page.locator('#net-status').innerText(), /10 of 10 entities and 11 of 11 links shown/);

  assert.deepEqual(errors, [], 'no script error or CSP violation');
  assert.deepEqual(foreign, [], 'no request left the server');
  await page.close();
});

/** A JSON answer for `route.fulfill`. */
const json = (status, body) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });
const apiError = (status, message) => json(status, { error: { code: status === 404 ? 'not_found' : 'bad_request', message } });

test('the tools on fixtures: no path, no path in time order, API errors in their panels, names kept as text', async () => {
  const { page, foreign, errors } = await openPage();
  await withFixtures(page);
  const hostile = fixture.initial.nodes.find((n) => n.id === 'FX:P-5').caption;
  const edge = (source, target, type) => ({ id: `${source}|${target}|${type}`, source, target, type, weight: 0.6, agencies: 1, statements: 1, first: '2024-02-01', last: '2024-02-01' });
  await page.route(/\/api\/network\/paths\?/, (route) => {
    const url = new URL(route.request().url());
    const [from, to] = [url.searchParams.get('from'), url.searchParams.get('to')];
    if (to === 'FX:NOWHERE') return route.fulfill(apiError(404, 'entity FX:NOWHERE is not visible to you'));
    if (to !== 'FX:P-5') return route.fulfill(json(200, { from, to, paths: [] }));
    const hops = [
      { from, to: 'FX:ORG-1', edges: [edge(from, 'FX:ORG-1', 'member_of')], statement_ids: [1], observed: null },
      { from: 'FX:ORG-1', to, edges: [edge(to, 'FX:ORG-1', 'member_of')], statement_ids: [2], observed: null },
    ];
    return route.fulfill(json(200, { from, to, paths: [{ nodes: [from, 'FX:ORG-1', to], captions: ['Amira HADDAD', 'Sfax boat network', hostile], hops }] }));
  });
  await page.route(/\/api\/network\/removal\?/, (route) => route.fulfill(apiError(400, 'k must be between 1 and 50')));
  const timeline = {
    window_days: 91,
    windows: [
      { start: '2024-01-01', end: '2024-03-31', nodes: 3, edges: 2, density: 0.67, degree_centralization: 1, betweenness_centralization: 1, components: 1, largest_share: 1, top_broker: { id: 'FX:ORG-1', caption: 'Sfax boat network' }, entered: [], left: [] },
      { start: '2024-04-01', end: '2024-06-30', nodes: 4, edges: 3, density: 0.5, degree_centralization: 0.8, betweenness_centralization: 0.7, components: 1, largest_share: 1, top_broker: { id: 'FX:P-5', caption: hostile }, entered: [{ id: 'FX:P-5', caption: hostile }, { id: 'FX:GONE', caption: 'Not on the chart' }], left: [{ id: 'FX:P-2', caption: 'Yusuf KAYA' }] },
    ],
    departure: null,
  };
  await page.route(/\/api\/network\/timeline\?/, (route) => {
    const replaced = new URL(route.request().url()).searchParams.get('replaced');
    if (replaced) return route.fulfill(apiError(400, `${replaced} is still present in the last window; nobody has replaced it yet`));
    return route.fulfill(json(200, timeline));
  });
  await page.goto(`${baseUrl}/network?seed=FX%3AORG-1`);
  await waitReady(page);
  await waitSettled(page);

  // A path asked for through the Find box while picking; none found, then none in time order.
  await clickNode(page, 'FX:P-3');
  await page.locator('#net-path-start').click();
  await page.locator('#net-find').fill('FX:P-4');
  await page.locator('#net-find').press('Enter');
  await page.waitForSelector('#net-path[data-state="ready"]');
  assert.equal(await page.locator('#net-path-to').inputValue(), 'FX:P-4');
  assert.match(await page.locator('#net-path-summary.no-path').innerText(), /^No path between Amira HADDAD and Dawit ABEBE/);
  assert.equal(await page.evaluate(() => window.tesseraChart.highlightedPath()), null);
  await page.locator('#net-path-ordered').check();
  await page.waitForFunction(() => /time order/.test(document.getElementById('net-path-summary').textContent));
  assert.match(await page.locator('#net-path-summary').innerText(), /^No path in time order from Amira HADDAD to Dawit ABEBE/);
  await page.locator('#net-path-ordered').uncheck();
  // An unknown entity: the API's message is shown in the panel.
  await page.locator('#net-path-to').fill('FX:NOWHERE');
  await page.locator('#net-path-form button[type="submit"]').click();
  await page.waitForSelector('#net-path[data-state="error"]');
  assert.equal(await page.locator('#net-path-error').innerText(), 'Could not look for paths: entity FX:NOWHERE is not visible to you');
  // A path through a hostile caption: drawn, and its names stay text.
  await page.locator('#net-path-to').fill('FX:P-5');
  await page.locator('#net-path-form button[type="submit"]').click();
  await page.waitForSelector('#net-path[data-state="ready"]');
  assert.deepEqual(await page.evaluate(() => window.tesseraChart.highlightedPath()), ['FX:P-3', 'FX:ORG-1', 'FX:P-5']);
  assert.ok((await page.locator('#net-path-list .hop-route').last().innerText()).endsWith(hostile));
  assert.match(await page.locator('#net-path-list .hop-route').last().innerText(), /←member_of—/, 'a link pointing back reads backwards');
  assert.equal(await page.locator('#net-path img, #injected').count(), 0);
  // Escape while picking cancels the pick, not the selection.
  await page.locator('#net-path-start').click();
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => window.tesseraChart.picking()), false);
  assert.equal(await page.evaluate(() => window.tesseraChart.selected()), 'FX:P-3');
  await page.locator('#net-path-close').click();

  // Disruption: the form refuses an out-of-range k itself; the API's refusal is shown.
  await page.locator('#net-disrupt-open').click();
  await page.locator('#net-disrupt-k').fill('25');
  await page.locator('#net-disrupt-form').evaluate((f) => f.requestSubmit());
  assert.equal(await page.locator('#net-disrupt-error').innerText(), 'Choose between 1 and 20 removals.');
  await page.locator('#net-disrupt-k').fill('3');
  await page.locator('#net-disrupt-form button[type="submit"]').click();
  await page.waitForSelector('#net-disrupt[data-state="error"]');
  assert.equal(await page.locator('#net-disrupt-error').innerText(), 'Could not plan the removals: k must be between 1 and 50');
  assert.deepEqual(await page.evaluate(() => window.tesseraChart.removed()), []);
  await page.locator('#net-disrupt-close').click();

  // Timeline: names stay text; one not on the chart is not a button.
  await page.locator('#net-timeline-open').click();
  await page.waitForSelector('#net-timeline[data-state="ready"]');
  assert.equal(await page.locator('#net-from').inputValue(), '2024-01-01');
  await page.locator('#net-timeline-slider').fill('1');
  assert.equal(await page.locator('#net-until').inputValue(), '2024-06-30');
  assert.deepEqual(await page.locator('#net-timeline-entered li').allInnerTexts(), [hostile, 'Not on the chart']);
  assert.equal(await page.locator('#net-timeline-entered button.net-ref').count(), 1);
  assert.equal(await page.locator('#net-timeline-broker').innerText(), hostile);
  assert.equal(await page.locator('#net-timeline img, #injected').count(), 0);
  await page.locator('#net-timeline-left button.net-ref').click();
  assert.equal(await page.evaluate(() => window.tesseraChart.selected()), 'FX:P-2');

  // Who replaced them? The API's 400 is shown in the node's panel.
  await page.locator('#net-replaced').click();
  await page.waitForSelector('#net-node-successors[data-state="error"]');
  assert.equal(await page.locator('#net-successors-error').innerText(), 'FX:P-2 is still present in the last window; nobody has replaced it yet');
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  assert.deepEqual(errors, [], 'no script error or CSP violation');
  assert.deepEqual(foreign, [], 'no request left the server');
  await page.close();
});

/** A network of `n` nodes in communities of about 30, with about 1.6 links per node. */
function bigNetwork(n) {
  let state = 42;
  const rnd = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const nodes = [];
  const edges = [];
  const types = ['associate', 'paid', 'uses', 'member_of', 'family'];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `N-${i}`, kind: i % 30 === 0 ? 'Organization' : i % 7 === 0 ? 'Phone' : 'Person', caption: `Person ${i}`, members: [`N-${i}`], seed: false, community: Math.floor(i / 30), degree: 0, betweenness: rnd() });
  }
  const seen = new Set();
  const link = (a, b, type) => {
    const id = `N-${a}|N-${b}|${type}`;
    if (a === b || seen.has(id)) return;
    seen.add(id);
    nodes[a].degree++;
    nodes[b].degree++;
    edges.push({ id, source: `N-${a}`, target: `N-${b}`, type, weight: rnd(), agencies: 1, statements: 1, first: '2024-01-01', last: '2024-12-31' });
  };
  for (let i = 0; i < n; i++) {
    const base = Math.floor(i / 30) * 30;
    link(i, base + Math.floor(rnd() * Math.min(30, n - base)), types[i % types.length]);
    if (rnd() < 0.6) link(i, Math.floor(rnd() * n), types[(i + 1) % types.length]);
  }
  return { nodes, edges, link_types: types, period: { first: '2024-01-01', last: '2024-12-31' }, communities: Math.ceil(n / 30), truncated: true };
}

test('a network of 3,000 nodes is drawn, laid out and stays responsive', async () => {
  const { page, foreign, errors } = await openPage();
  const big = JSON.stringify(bigNetwork(3000));
  await withFixtures(page, { network: () => ({ status: 200, contentType: 'application/json', body: big }) });
  await page.goto(`${baseUrl}/network`);
  await waitReady(page);
  assert.equal(await shownNodes(page), 3000);
  assert.match(await page.locator('#net-status').innerText(), /cut at 2000 entities/);
  // While the layout runs, frames keep coming and each drawing stays within budget.
  await page.waitForFunction(() => window.tesseraChart.stats().frames > 20);
  const stats = await page.evaluate(() => window.tesseraChart.stats());
  assert.ok(stats.drawMs < 150, `a frame draws in ${stats.drawMs.toFixed(1)} ms`);
  assert.ok(stats.tickMs < 100, `a layout step takes ${stats.tickMs.toFixed(1)} ms`);
  // Mid-layout, a filter and a zoom show on the next frame drawn: measured in the page, from the
  // event to the end of the frame that shows it.
  const latency = (action) =>
    page.evaluate(
      (what) =>
        new Promise((resolve) => {
          const canvas = document.getElementById('net-canvas');
          const start = performance.now();
          const frames = Number(canvas.dataset.frames);
          if (what === 'filter') document.querySelector('#net-types input[data-type="paid"]').click();
          else canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: -200, clientX: 600, clientY: 700, bubbles: true, cancelable: true }));
          const wait = () => (Number(canvas.dataset.frames) > frames ? resolve(performance.now() - start) : requestAnimationFrame(wait));
          requestAnimationFrame(wait);
        }),
      action,
    );
  const edgesBefore = await shownEdges(page);
  const filterMs = await latency('filter');
  assert.ok((await shownEdges(page)) < edgesBefore, 'the filter applies');
  const zoomMs = await latency('zoom');
  // Generous bounds: the browser shares two cores with the build; the numbers are printed.
  assert.ok(filterMs < 2000 && zoomMs < 2000, `filter shown after ${filterMs.toFixed(0)} ms, zoom after ${zoomMs.toFixed(0)} ms`);
  // Paused, the pointer finds a node among thousands and selects it.
  await page.locator('#net-pause').click();
  assert.equal(await page.locator('#net-pause').getAttribute('aria-pressed'), 'true');
  assert.ok(await page.evaluate(() => window.tesseraChart.settled()), 'a paused layout is at rest');
  const somewhere = await page.evaluate(() => {
    const chart = window.tesseraChart;
    for (const n of chart.nodes()) {
      const p = chart.screenPosition(n.id);
      if (p && p.x > 100 && p.y > 300 && p.x < 900 && p.y < 1100 && chart.hitTest(p.x, p.y).node) return p;
    }
    return null;
  });
  assert.ok(somewhere, 'a node on screen can be hit');
  await page.mouse.click(somewhere.x, somewhere.y);
  await page.waitForSelector('#net-node:not([hidden])');
  const chosen = await page.evaluate(() => window.tesseraChart.selected());
  // Zoomed in on it, every node on screen asks for its label: one that would overlap a label
  // already drawn goes to the left of its node or is left out; the selection's is always drawn.
  for (let i = 0; i < 15; i++) {
    const drawnNow = await page.evaluate(() => window.tesseraChart.labels().length);
    if (drawnNow > 30) break;
    const at = await page.evaluate((id) => window.tesseraChart.screenPosition(id), chosen);
    assert.ok(at, 'the selected node stays on the chart while zooming in on it');
    await page.mouse.move(at.x, at.y);
    await page.mouse.wheel(0, -300);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
  const labels = await page.evaluate(() => window.tesseraChart.labels());
  assert.ok(labels.length > 30, `${labels.length} labels drawn once zoomed in`);
  assert.ok(labels.some((b) => b.id === chosen), "the selected node's label is drawn");
  const overlapping = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const [a, b] = [labels[i], labels[j]];
      const clash = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
      if (clash && a.id !== chosen && b.id !== chosen) overlapping.push(`${a.id}/${b.id}`);
    }
  }
  assert.deepEqual(overlapping, [], 'no two labels drawn overlap');
  const labelsHidden = await page.evaluate(() => window.tesseraChart.stats().labelsHidden);
  await page.screenshot({ path: join(outDir, 'network-3000.png') });
  console.log(`3000 nodes: draw ${stats.drawMs.toFixed(1)} ms, layout step ${stats.tickMs.toFixed(1)} ms, filter shown in ${filterMs.toFixed(0)} ms, zoom in ${zoomMs.toFixed(0)} ms; zoomed in, ${labels.length} labels drawn, ${labelsHidden} left out`);
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
  await page.close();
});

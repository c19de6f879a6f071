// The web page in a real browser: Debian's chromium, headless, driven by
// playwright-core. On a database replayed from examples/demo.jsonl, served
// by `flashpoint serve`: load the page, filter by severity, open an alert
// and its evidence, ack it with a note (then check the database through
// `flashpoint show`), show the tension chart, take a screenshot; then the
// same server with a token: the page asks for it and lists the alerts.
//
//   node page_test.mjs --binary FLASHPOINT --source REPO --out DIR [--chromium PATH]
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const binary = args.binary;
const source = args.source;
const out = args.out;
const executablePath = args.chromium || '/usr/bin/chromium';

function check(cond, message) {
  if (!cond) throw new Error('check failed: ' + message);
  console.log('ok: ' + message);
}

function fp(...argv) {
  return execFileSync(binary, argv, {encoding: 'utf8'});
}

// Starts `flashpoint serve`, resolves with {proc, url} once it logs its URL.
function serve(db, extra) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...extra],
                       {stdio: ['ignore', 'ignore', 'pipe']});
    let log = '';
    const timer = setTimeout(() => reject(new Error('serve did not start: ' + log)), 15000);
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /flashpoint serve: (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({proc, url: m[1]});
      }
    });
    proc.on('exit', (code) => reject(new Error('serve exited with ' + code + ': ' + log)));
  });
}

function stop(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve(proc.exitCode);
    proc.removeAllListeners('exit');
    proc.on('exit', (code) => resolve(code));
    proc.kill('SIGTERM');
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-browser-'));
  const db = path.join(dir, 'demo.db');
  fp('replay', '-q', '--rules', path.join(source, 'rules'), '--db', db,
     path.join(source, 'examples', 'demo.jsonl'));
  const high = JSON.parse(
      fp('alerts', '--db', db, '--severity', 'high', '--status', 'open', '--format', 'json'));
  check(high.length > 0, 'the fixture has open high alerts (' + high.length + ')');

  // The network is closed: keep chromium from reaching for Google's hosts.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let server = null;
  try {
    server = await serve(db, []);
    const page = await browser.newPage({viewport: {width: 1280, height: 1000}});
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    // No request may leave the machine: everything comes from the binary.
    const origin = new URL(server.url).origin;
    page.on('request', (req) => {
      if (!req.url().startsWith(origin) && !req.url().startsWith('blob:') &&
          !req.url().startsWith('data:')) {
        errors.push('request outside the server: ' + req.url());
      }
    });

    await page.goto(server.url);
    await page.waitForFunction(() => /\d+ alerts?$/.test(
        document.getElementById('status-line').textContent));
    const open = JSON.parse(fp('alerts', '--db', db, '--status', 'open', '--format', 'json'));
    check(await page.locator('#rows tr').count() === Math.min(open.length, 500),
          'the page lists the open alerts (' + open.length + ')');

    // Filter: severity high.
    await page.selectOption('select[name=severity]', 'high');
    await page.click('#apply');
    await page.waitForFunction((n) => document.querySelectorAll('#rows tr').length === n,
                               high.length);
    check(await page.locator('#rows tr').count() === high.length,
          'severity high shows as many rows as `flashpoint alerts --severity high`');
    const sevs = await page.locator('#rows tr td:nth-child(3)').allTextContents();
    check(sevs.every((s) => s === 'high' || s === 'critical'), 'every row is high or above');

    // Open the first (newest) alert: its evidence.
    const row = page.locator('#rows tr').first();
    const id = Number(await row.getAttribute('data-id'));
    const expected = high.find((a) => a.id === id);
    check(expected !== undefined, 'the first row is alert ' + id);
    await row.click();
    await page.waitForSelector('#detail:not([hidden])');
    await page.waitForFunction((t) => document.getElementById('detail-title').textContent
                                          .startsWith(t), '#' + id + ' ');
    const evidence = await page.locator('#evidence').textContent();
    check(expected.evidence.every((e) => evidence.includes(e)),
          'the detail shows every evidence event (' + expected.evidence.join(', ') + ')');
    check(await page.locator('#evidence pre').count() === expected.evidence.length,
          'each evidence event is shown in full');
    check((await page.locator('#detail-fields').textContent()).includes(expected.rule),
          'the detail names the rule');

    // Ack with a note.
    const note = 'checked in the browser test <b>&';
    await page.fill('#note', note);
    await page.click('#ack');
    await page.waitForFunction(() => /is now acked/.test(
        document.getElementById('action-result').textContent));
    const shown = JSON.parse(fp('show', '--db', db, String(id), '--format', 'json'));
    check(shown.alert.status === 'acked', 'the database has alert ' + id + ' acked');
    check(shown.alert.note === note, 'the database has the note');
    check(shown.log.length === 1 && shown.log[shown.log.length - 1].by === 'web',
          'the history has one change, by web');
    await page.waitForFunction((n) => document.querySelectorAll('#rows tr').length === n,
                               high.length - 1);
    check(true, 'the acked alert left the open list');
    check((await page.locator('#history').textContent()).includes(note),
          'the page shows the note in the history, as text');

    // The tension chart of the first pair.
    await page.waitForFunction(() => document.querySelectorAll('#pair option').length > 1);
    const pair = await page.locator('#pair option').nth(1).getAttribute('value');
    await page.selectOption('#pair', pair);
    await page.click('#show-chart');
    await page.waitForSelector('#chart svg');
    check(await page.locator(`#chart svg path.series[data-pair="${pair}"]`).count() === 1,
          'the chart of ' + pair + ' is an inline <svg> with its line');
    check(await page.locator('#chart svg rect.band').count() > 0, 'the chart has level bands');

    fs.mkdirSync(out, {recursive: true});
    const shot = path.join(out, 'web-page.png');
    await page.screenshot({path: shot, fullPage: true});
    check(fs.statSync(shot).size > 10000, 'screenshot written to ' + shot);
    check(errors.length === 0, 'no page errors' + (errors.length ? ': ' + errors.join('; ') : ''));
    check(await stop(server.proc) === 0, 'serve stops with 0 on SIGTERM');
    server = null;

    // With a token: the page loads, asks for the token, then lists alerts.
    server = await serve(db, ['--token', 's3cret']);
    const tpage = await browser.newPage();
    await tpage.goto(server.url);
    await tpage.waitForSelector('#token-form:not([hidden])');
    check(true, 'with a token set, the page asks for it');
    await tpage.fill('#token', 's3cret');
    await tpage.click('#token-form button[type=submit]');
    await tpage.waitForFunction(() => /\d+ alerts?$/.test(
        document.getElementById('status-line').textContent));
    check(await tpage.locator('#rows tr').count() === Math.min(open.length - 1, 500),
          'with the token the page lists the open alerts');
    check(await tpage.evaluate(() => localStorage.getItem('flashpoint.token')) === 's3cret',
          'the token is kept in localStorage');
  } finally {
    if (server) await stop(server.proc);
    await browser.close();
    fs.rmSync(dir, {recursive: true, force: true});
  }
  console.log('browser test: all checks passed');
}

main().catch((e) => {
  console.error('browser test FAILED: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});

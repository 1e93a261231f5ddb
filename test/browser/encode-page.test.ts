/**
 * The browser encoding page (examples/browser-encode) in headless Chromium: a CoC administrator's
 * run — pick the list and the key, encode, download — must give the CLI's bytes, log no errors and
 * make no request beyond the page's own files; and the page's CSP must refuse connections from the
 * page and from blob: workers like the one that encodes.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowserEncode } from '../../examples/browser-encode/build.js';
import { generateKeyHex } from '../../src/encode/key.js';
import { launchChromium } from './chromium.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TODAY = '2026-01-15';
/** For a person (or a CI artefact) to look at; out/ is git-ignored. */
const SCREENSHOT = join(ROOT, 'out/encode-page-screenshot.png');
const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

let work: string;
let site: string;
let keyPath: string;
let server: Server;
let origin: string;
/** Paths the static server was asked for, in order. */
const served: string[] = [];
/** The CLI's output for the sample CoC list, made once for the http: and file: runs. */
let cliClients: { encoded: Buffer; rejects: Buffer };
const CLIENTS = join(ROOT, 'data/sample/clients.csv');

/** A static server for the built page, like any static host (workers need http:, not file:). */
function serve(dir: string): Promise<Server> {
  const s = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    served.push(path);
    const file = path === '/' ? 'index.html' : path.slice(1);
    if (req.method !== 'GET' || file.includes('/') || file.includes('..')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(dir, file));
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => s.listen(0, '127.0.0.1', () => ok(s)));
}

/** `bloomlink encode` run as a user runs it, as a separate process. */
async function cli(list: string, out: string): Promise<{ encoded: Buffer; rejects: Buffer }> {
  const tsx = join(ROOT, 'node_modules/.bin/tsx');
  await promisify(execFile)(
    tsx,
    ['src/cli/main.ts', 'encode', '--in', list, '--key', keyPath, '--out', out, '--today', TODAY, '--quiet'],
    { cwd: ROOT },
  );
  return { encoded: await readFile(out), rejects: await readFile(`${out}.rejects.csv`) };
}

/** What a test saw: console errors and warnings, uncaught errors, and every request (page and workers). */
interface Watched {
  readonly page: Page;
  readonly problems: string[];
  readonly requests: string[];
}

/** Runs `test` on a fresh headless Chromium (fresh profile), watching everything the page does. */
async function inBrowser(test: (w: Watched) => Promise<void>): Promise<void> {
  const browser = await launchChromium();
  const { context, page } = browser;
  const problems: string[] = [];
  const requests: string[] = [];
  // The context's console includes the workers'; the worker itself logs its CSP violations there.
  context.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  context.on('weberror', (e) => problems.push(`uncaught: ${String(e.error())}`));
  context.on('request', (r) => requests.push(r.url()));
  try {
    await test({ page, problems, requests });
  } finally {
    await browser.close();
  }
}

/** Picks the files, sets the options as the CLI run has them and waits for the result. */
async function encodeOnPage(page: Page, list: string, format: 'arrow' | 'jsonl'): Promise<void> {
  await page.setInputFiles('#list', list);
  await page.setInputFiles('#key', keyPath);
  if (!(await page.locator('details').evaluate((d) => (d as HTMLDetailsElement).open))) {
    await page.click('summary');
  }
  await page.selectOption('#format', format);
  await page.fill('#today', TODAY);
  await page.click('#start');
  await page.waitForSelector('#result-panel:not([hidden])', { timeout: 60_000 });
}

async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: await readFile(path) };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bloomlink-browser-encode-'));
  site = join(work, 'site');
  keyPath = join(work, 'linkage.key');
  await writeFile(keyPath, `${generateKeyHex()}\n`);
  [cliClients] = await Promise.all([cli(CLIENTS, join(work, 'cli-clients.arrow')), buildBrowserEncode(site)]);
  server = await serve(site);
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  await rm(work, { recursive: true, force: true });
});

describe('browser encoding page', () => {
  it(
    'encodes in the browser to the CLI’s exact bytes, offline, without errors',
    () =>
      inBrowser(async ({ page, problems, requests }) => {
        await page.goto(`${origin}/`);

        // The CoC list as Arrow (the default format), then the plan list as JSON Lines in the same page.
        await encodeOnPage(page, CLIENTS, 'arrow');
        const encoded = await download(page, '#download-encoded');
        const rejects = await download(page, '#download-rejects');
        expect(encoded.name).toBe('clients.arrow');
        expect(rejects.name).toBe('clients.arrow.rejects.csv');
        expect(encoded.bytes.equals(cliClients.encoded)).toBe(true);
        expect(rejects.bytes.equals(cliClients.rejects)).toBe(true);
        expect(await page.textContent('#counts')).toContain('2,000');
        expect(await page.locator('#bar').evaluate((b) => (b as HTMLProgressElement).value)).toBe(1);
        await mkdir(dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });

        const members = join(ROOT, 'data/sample/members.csv');
        const [cliMembers] = await Promise.all([
          cli(members, join(work, 'cli-members.jsonl')),
          encodeOnPage(page, members, 'jsonl'),
        ]);
        const encodedMembers = await download(page, '#download-encoded');
        expect(encodedMembers.name).toBe('members.jsonl');
        expect(encodedMembers.bytes.equals(cliMembers.encoded)).toBe(true);
        expect((await download(page, '#download-rejects')).bytes.equals(cliMembers.rejects)).toBe(true);
        expect(await page.textContent('#counts')).toContain('plan members');

        expect(problems).toEqual([]);
        // Only the page's own files, and blob: URLs of its own origin (the worker and the downloads).
        const own = new Set(['/', '/main.js', '/style.css', '/favicon.svg'].map((p) => `${origin}${p}`));
        expect(requests.filter((u) => !own.has(u) && !u.startsWith(`blob:${origin}/`))).toEqual([]);
        expect(served.filter((p) => !['/', '/main.js', '/style.css', '/favicon.svg'].includes(p))).toEqual(
          [],
        );
      }),
    180_000,
  );

  it('works opened straight from a folder (file:), with the same bytes', () =>
    inBrowser(async ({ page, problems, requests }) => {
      await page.goto(pathToFileURL(join(site, 'index.html')).href);
      await encodeOnPage(page, CLIENTS, 'arrow');
      expect((await download(page, '#download-encoded')).bytes.equals(cliClients.encoded)).toBe(true);
      expect(problems).toEqual([]);
      const own = pathToFileURL(`${site}/`).href;
      expect(requests.filter((u) => !u.startsWith(own) && !u.startsWith('blob:null/'))).toEqual([]);
    }));

  it('shows a file-level error, naming the file only, when the key file is wrong', () =>
    inBrowser(async ({ page, problems }) => {
      await page.goto(`${origin}/`);
      await page.setInputFiles('#list', CLIENTS);
      await page.setInputFiles('#key', CLIENTS); // the list picked twice: a plausible slip
      await page.click('#start');
      await page.waitForSelector('#error-panel:not([hidden])');
      const message = await page.textContent('#error-message');
      expect(message).toMatch(/^clients\.csv: .*key file/);
      expect(await page.isHidden('#result-panel')).toBe(true);
      expect(await page.isEnabled('#start')).toBe(true);
      expect(problems).toEqual([]);
    }));

  it('cancels a run: no result appears and the form is usable again', () =>
    inBrowser(async ({ page, problems }) => {
      await page.goto(`${origin}/`);
      await page.setInputFiles('#list', join(ROOT, 'data/sample/members.csv'));
      await page.setInputFiles('#key', keyPath);
      await page.click('#start');
      await page.click('#cancel'); // encoding 6,000 rows takes far longer than this click
      expect(await page.isEnabled('#start')).toBe(true);
      expect(await page.isHidden('#cancel')).toBe(true);
      await page.waitForTimeout(3_000); // were the worker still running, it would have finished by now
      expect(await page.isHidden('#result-panel')).toBe(true);
      expect(await page.isHidden('#progress-panel')).toBe(true);
      expect(problems).toEqual([]);
    }));

  it('refuses connections from the page and from blob: workers (the CSP holds)', () =>
    inBrowser(async ({ page, problems }) => {
      await page.goto(`${origin}/`);
      const outcome = await page.evaluate(async () => {
        const pageFetch = await fetch('/probe/page').then(
          () => 'connected',
          () => 'refused',
        );
        navigator.sendBeacon('/probe/beacon', 'x'); // returns true even when refused: the server log tells
        const code =
          "fetch('/probe/worker').then(() => postMessage('connected'), () => postMessage('refused'));";
        const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
        const workerFetch = await new Promise((ok) => {
          worker.onmessage = (e) => ok(e.data);
        });
        worker.terminate();
        return { pageFetch, workerFetch };
      });
      expect(outcome).toEqual({ pageFetch: 'refused', workerFetch: 'refused' });
      await page.waitForTimeout(500); // time for a beacon to arrive, were it sent
      expect(served.filter((p) => p.startsWith('/probe/'))).toEqual([]);
      // Violations are console errors, so the first test's empty list also means none occurred.
      expect(problems.some((e) => e.includes('Content Security Policy'))).toBe(true);
    }));
});

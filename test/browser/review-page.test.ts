/**
 * The review page in headless Chromium, as a reviewer uses it: load the CoC's and the plan's halves
 * (written by the half-writer from small lists), see the pairs side by side with differences marked,
 * decide, save; the saved file is the decisions file `PersonalID,MemberID,Decision`. The page logs no
 * error and requests nothing but itself.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReviewPage } from '../../src/output/review-page.js';
import { buildReviewSheet } from '../../src/output/review-sheet.js';
import { type Browser, launchChromium } from './chromium.js';

const ROOT = resolve(import.meta.dirname, '../..');
const enc = (s: string) => new TextEncoder().encode(s);

const REVIEW = `PersonalID,MemberID,MatchWeight,MatchProbability,Status
C1,M1,1.2,0.61,review
C3,-M3,0.4,0.52,review
C7,M7,0.3,0.51,review
`;
const CLIENTS = `PersonalID,FirstName,MiddleName,LastName,NameDataQuality,DOB,DOBDataQuality,SSN,SSNDataQuality,Sex
C1,Ann,,Lee,1,1980-02-03,1,521436789,1,0
C3,"Smith, Carla",,=Smith,1,1990-10-11,1,,99,0
C7,Ed,,Ray,1,1970-07-07,1,,99,1
`;
const MEMBERS = `MemberID,FirstName,LastName,DOB,Sex,SSN,MCP,CoverageType,EnrollmentStartDate
M1,ANN,LEE,1980-02-03,F,521436789,Plan,Medi-Cal,2024-01-01
-M3,CARLA,SMITH,1990-11-10,F,,Plan,Medi-Cal,2024-01-01
M7,ED,RAY,1970-07-07,M,,Plan,Medi-Cal,2024-01-01
`;

describe('review page in headless Chromium', () => {
  let browser: Browser;
  let work: string;
  let url: string;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bloomlink-review-page-'));
    for (const [side, list] of [
      ['coc', CLIENTS],
      ['mcp', MEMBERS],
    ] as const) {
      const sheet = await buildReviewSheet({
        links: enc(REVIEW),
        list: enc(list),
        side,
        today: '2026-01-01',
      });
      await writeFile(join(work, `${side}-half.csv`), sheet.lines.join(''));
    }
    await writeFile(
      join(work, 'earlier.csv'),
      'PersonalID,MemberID,Decision\r\nC0,M0,reject\r\nC7,M7,accept\r\n',
    );
    const page = join(work, 'review.html');
    await writeFile(page, renderReviewPage());
    await mkdir(join(ROOT, 'out'), { recursive: true });
    url = pathToFileURL(page).href;
    browser = await launchChromium();
    browser.page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    browser.page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    browser.page.on('request', (r) => requests.push(r.url()));
    await browser.page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('refuses a half loaded in the wrong box', async () => {
    await browser.page.setInputFiles('#coc-half', join(work, 'mcp-half.csv'));
    await expect.poll(() => browser.page.textContent('#status')).toContain("plan's half");
    expect(await browser.page.$$('section.pair')).toHaveLength(0);
  });

  it('shows the pairs side by side with the differences marked', async () => {
    const { page } = browser;
    await page.setInputFiles('#coc-half', join(work, 'coc-half.csv'));
    await page.setInputFiles('#mcp-half', join(work, 'mcp-half.csv'));
    await expect.poll(async () => (await page.$$('section.pair')).length).toBe(3);
    const pairs = await page.$$eval('section.pair', (els) =>
      els.map((e) => ({
        p: e.getAttribute('data-personal-id'),
        m: e.getAttribute('data-member-id'),
        diffs: [...e.querySelectorAll('tr')]
          .filter((tr) => tr.querySelector('td.diff'))
          .map((tr) => tr.querySelector('th')?.textContent),
        cells: [...e.querySelectorAll('tr')].map((tr) =>
          [...tr.querySelectorAll('td')].map((td) => td.textContent),
        ),
      })),
    );
    expect(pairs.map((x) => `${x.p}|${x.m}`)).toEqual(['C1|M1', 'C3|-M3', 'C7|M7']);
    // Case differences are not differences; a different name or date of birth is.
    expect(pairs[0]!.diffs).toEqual([]);
    expect(pairs[1]!.diffs).toEqual(['First name', 'Last name', 'Date of birth']);
    // Values come through as text: a comma, and a formula-like value restored from its apostrophe.
    expect(pairs[1]!.cells).toContainEqual(['Smith, Carla', 'CARLA']);
    expect(pairs[1]!.cells).toContainEqual(['=Smith', 'SMITH']);
    expect(pairs[0]!.cells).toContainEqual(['6789', '6789']);
  });

  it('saves the decisions file, with the earlier decisions loaded', async () => {
    const { page } = browser;
    await page.setInputFiles('#earlier', join(work, 'earlier.csv'));
    await expect.poll(() => page.textContent('#count')).toContain('1 of 3 pairs decided');
    await page.check('section.pair:nth-of-type(1) input[value=accept]');
    await page.check('section.pair:nth-of-type(2) input[value=reject]');
    await page.check('section.pair:nth-of-type(3) input[value=reject]');
    expect(await page.textContent('#count')).toContain('3 of 3 pairs decided');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    expect(download.suggestedFilename()).toBe('decisions.csv');
    const path = join(work, 'decisions.csv');
    await download.saveAs(path);
    const csv = await readFile(path, 'utf8');
    // A pair decided again keeps its place; an ID a spreadsheet would run as a formula is neutralised.
    expect(csv).toBe(
      "PersonalID,MemberID,Decision\r\nC0,M0,reject\r\nC7,M7,reject\r\nC1,M1,accept\r\nC3,'-M3,reject\r\n",
    );
    await page.screenshot({ path: join(ROOT, 'out/review-page-screenshot.png'), fullPage: true });
  });

  it('logs no error and requests nothing but itself', () => {
    expect(problems).toEqual([]);
    expect(requests.filter((r) => !r.startsWith('blob:'))).toEqual([url]);
  });
});

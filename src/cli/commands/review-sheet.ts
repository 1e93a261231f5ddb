import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BloomlinkError } from '../../errors.js';
import { isIsoDate } from '../../normalise/date.js';
import type { FileCounts } from '../../output/issues.js';
import { renderReviewPage } from '../../output/review-page.js';
import { buildReviewSheet, type ReviewSide } from '../../output/review-sheet.js';
import { type Command, opt, UsageError } from '../command.js';
import { type NamedPath, withOutputs } from '../files.js';
import { listInput, noteInputRead } from '../input.js';
import { manifestOutput, RunManifest } from '../manifest.js';
import { writeOutputReport } from './return-file.js';

const SHEET_OPTIONS = ['links', 'in', 'side', 'out'] as const;

function counts(label: string, c: FileCounts): string {
  return `${label}: ${c.rowsRead} rows read, ${c.used} used, ${c.rejected} not used, ${c.warnings} warnings`;
}

/** `bloomlink review-sheet`: one party's half of the review packet, and the page that joins two halves. */
export const reviewSheet: Command = {
  name: 'review-sheet',
  summary:
    'write your half of the review packet (clear text of your side of each review pair), or the review page',
  options: {
    links: {
      type: 'string',
      arg: 'FILE',
      help: "the review file from 'match --review' (of a links file, only the review rows are used)",
    },
    in: {
      type: 'string',
      arg: 'FILE',
      help: 'your own list: the CoC client list (--side coc) or the plan member list (--side mcp)',
    },
    side: { type: 'string', arg: 'coc|mcp', help: 'whose half this is' },
    out: { type: 'string', arg: 'FILE', help: 'the half, a private CSV file (names, DOB: PHI)' },
    report: { type: 'string', arg: 'FILE', help: 'rejection report CSV (default: <out>.rejects.csv)' },
    page: {
      type: 'string',
      arg: 'FILE',
      help: 'write the review page (one HTML file, no data in it) that shows two halves side by side',
    },
    today: { type: 'string', arg: 'YYYY-MM-DD', help: 'reference date for future-date checks' },
    quiet: { type: 'boolean', short: 'q', help: 'no summary' },
  },
  details: `Examples (each party on its own machine, from the same review file):
  bloomlink review-sheet --links review.csv --in Client.csv --side coc --out review-coc.csv
  bloomlink review-sheet --links review.csv --in members.csv --side mcp --out review-mcp.csv
and, for the reviewer authorised to see both halves:
  bloomlink review-sheet --page review.html
Open review.html in a browser, load both halves (they stay in the browser, nothing is uploaded),
accept or reject each pair and save decisions.csv (PersonalID,MemberID,Decision) for
'match --decisions'. A half holds names, date of birth, sex, SSN last 4 and data-quality codes of
the review pairs only: see docs/privacy.md, "Review packet". Pairs whose record is not in your list
are listed in the rejection report (file, line, the row's own ID, field, code), never another value.`,
  async run(v) {
    const page = opt(v, 'page');
    const given = SHEET_OPTIONS.filter((o) => opt(v, o) !== undefined);
    if (page !== undefined && given.length === 0) {
      await withOutputs({ files: [{ option: '--page', path: page }] }, (set) =>
        // No data in the page: shared access.
        set.writeText(page, renderReviewPage(), 'shared', '--page'),
      );
      if (v.quiet !== true) process.stderr.write(`review page: ${page}\n`);
      return 0;
    }
    const missing = SHEET_OPTIONS.filter((o) => opt(v, o) === undefined).map((o) => `--${o}`);
    if (missing.length > 0)
      throw new UsageError(
        `missing required option${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (or give --page FILE alone)`,
      );
    const side = opt(v, 'side');
    if (side !== 'coc' && side !== 'mcp') throw new UsageError('--side must be coc or mcp');
    const today = opt(v, 'today');
    if (today !== undefined && !isIsoDate(today)) throw new UsageError('--today must be a date YYYY-MM-DD');
    const links = opt(v, 'links') as string;
    const list = opt(v, 'in') as string;
    const out = opt(v, 'out') as string;
    const report = opt(v, 'report') ?? `${out}.rejects.csv`;
    const files: NamedPath[] = [
      { option: '--out', path: out },
      { option: '--report', path: report },
      ...(page !== undefined ? [{ option: '--page', path: page }] : []),
    ];
    const inputs = [
      { option: '--links', path: links },
      { option: '--in', path: list },
    ];
    const text = await withOutputs({ files: [...files, manifestOutput(out)], inputs }, async (set) => {
      const manifest = new RunManifest(reviewSheet, v, inputs);
      manifest.attach(set, out);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(links);
        noteInputRead(links, bytes);
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        throw new BloomlinkError(
          code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
          `${basename(links)}: ${code === 'ENOENT' ? 'no such file' : 'cannot read the file'}`,
        );
      }
      const sheet = await buildReviewSheet({
        links: bytes,
        list: await listInput(list),
        side: side as ReviewSide,
        linksLabel: basename(links),
        listLabel: basename(list),
        ...(today !== undefined ? { today } : {}),
      });
      // Clear text of people: private (0600).
      await set.writeLines(out, sheet.lines, 'private');
      await writeOutputReport(set, report, sheet.issues);
      if (page !== undefined) await set.writeText(page, renderReviewPage(), 'shared', '--page');
      manifest.count('pairs', sheet.pairs);
      return [
        `${side === 'coc' ? 'CoC' : 'plan'} half of the review packet: ${sheet.pairs} pairs written to ${out}`,
        `${counts(basename(links), sheet.linksCounts)} (${sheet.matchesSkipped} with Status match left out, ${sheet.notFound} not in ${basename(list)})`,
        counts(basename(list), sheet.listCounts),
        `rejection report: ${report}`,
        '',
      ].join('\n');
    });
    if (v.quiet !== true) process.stderr.write(text);
    return 0;
  },
};

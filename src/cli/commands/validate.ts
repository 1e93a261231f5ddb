import { basename } from 'node:path';
import { readList } from '../../read/reader.js';
import { summaryText } from '../../read/report.js';
import { type Command, opt, req } from '../command.js';
import type { OutputSet } from '../files.js';
import { listInput } from '../input.js';
import { IssueSink } from '../issues.js';

import { beginWithManifest, type RunManifest } from '../manifest.js';
import { byteProgress, fileSize, progressBar } from '../progress.js';

/** `bloomlink validate`: checks a list and writes a rejection report. */
export const validate: Command = {
  name: 'validate',
  summary: 'check a CoC client list, plan member list or program list and write a rejection report',
  options: {
    in: {
      type: 'string',
      arg: 'FILE',
      help: 'the list to check (its kind is detected from the header)',
      required: true,
    },
    report: {
      type: 'string',
      arg: 'FILE',
      help: 'rejection report CSV (or .xlsx with a Summary sheet): Line,ID,Field,Code,Severity,Description (the record ID, no other value)',
    },
    'test-only': { type: 'boolean', help: 'validate and print the counts without writing any file' },
    today: {
      type: 'string',
      arg: 'YYYY-MM-DD',
      help: 'reference date for future-date checks (default: today)',
    },
    quiet: { type: 'boolean', short: 'q', help: 'no progress bar' },
  },
  details: `Example:
  bloomlink validate --in clients.csv --report rejects.csv
Prints rows read, accepted and rejected (they add up) and the count of each issue code; see
docs/error-codes.md for every code. Exit status 0 even when rows are rejected; non-zero when the file
itself cannot be read (missing column, not a CSV, empty file).`,
  async run(v) {
    const inPath = req(v, 'in');
    const testOnly = v['test-only'] === true;
    const reportPath = testOnly ? undefined : opt(v, 'report');
    let set: OutputSet | undefined;
    let manifest: RunManifest | undefined;
    if (reportPath)
      ({ set, manifest } = await beginWithManifest(validate, v, reportPath, {
        files: [{ option: '--report', path: reportPath }],
        inputs: [{ option: '--in', path: inPath }],
      }));
    const bar = progressBar(`validate: reading ${basename(inPath)}`, {
      quiet: v.quiet === true,
      unit: 'bytes',
    });
    const totalBytes = fileSize(inPath);
    try {
      const sink = await IssueSink.open(set, reportPath);
      const today = opt(v, 'today');
      const reader = await readList(await listInput(inPath), {
        label: basename(inPath),
        onIssue: sink.onIssue,
        ...(totalBytes !== undefined && { totalBytes }),
        onProgress: (p) => byteProgress(bar, p),
        ...(today ? { today } : {}),
      });
      let n = 0;
      for await (const _ of reader) {
        if (++n % 65_536 === 0) await sink.flush();
      }
      await sink.finish(reader.summary);
      const s = reader.summary;
      manifest?.rows('--in', s.rowsRead).count('rowsRejected', s.rejected);
      await set?.commit();
      bar.done();
      const kind =
        reader.kind === 'coc'
          ? 'CoC client list'
          : reader.kind === 'members'
            ? 'plan member list'
            : 'program list';
      process.stdout.write(`${basename(inPath)}: ${kind} (${reader.layout})\n${summaryText(reader.summary)}`);
      return 0;
    } catch (e) {
      bar.done();
      await set?.abort();
      throw e;
    }
  },
};

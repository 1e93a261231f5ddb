import { writeSynthFiles } from '../../synth/write.node.js';
import { type Command, opt, optInt, req, UsageError } from '../command.js';
import { unwritable } from '../files.js';
import { progressBar } from '../progress.js';

/** `bloomlink synth`: writes seeded synthetic CoC, plan and program lists with ground truth. */
export const synth: Command = {
  name: 'synth',
  summary: 'write synthetic CoC, plan member and program lists with ground truth (for trials and tests)',
  options: {
    out: {
      type: 'string',
      arg: 'DIR',
      help: 'output folder: clients.csv (Client.csv for HMIS layouts), members.csv, programs.csv, truth.csv',
      required: true,
    },
    clients: { type: 'string', arg: 'N', help: 'CoC clients (default 2000)' },
    members: { type: 'string', arg: 'N', help: 'plan members (default 6000)' },
    overlap: {
      type: 'string',
      arg: 'SHARE',
      help: 'share of CoC clients who are plan members (default 0.4)',
    },
    seed: { type: 'string', arg: 'N', help: 'random seed (default 1)' },
    layout: {
      type: 'string',
      arg: 'LAYOUT',
      help: "CoC list layout: 'contract' (default), 'hmis-fy2026' or 'hmis-fy2024'",
    },
    'reference-date': { type: 'string', arg: 'YYYY-MM-DD', help: "the data's 'today' (default 2026-01-01)" },
    quiet: { type: 'boolean', short: 'q', help: 'no progress bar or summary' },
  },
  details: `Example:
  bloomlink synth --out trial --clients 100000 --members 3000000
Every person is fictional; names follow US Census frequencies with realistic defects.`,
  async run(v) {
    const layout = opt(v, 'layout') ?? 'contract';
    if (layout !== 'contract' && layout !== 'hmis-fy2026' && layout !== 'hmis-fy2024') {
      throw new UsageError("--layout must be 'contract', 'hmis-fy2026' or 'hmis-fy2024'");
    }
    const overlapText = opt(v, 'overlap');
    const overlap = overlapText === undefined ? undefined : Number(overlapText);
    if (overlap !== undefined && !(overlap >= 0 && overlap <= 1))
      throw new UsageError('--overlap must be between 0 and 1');
    const quiet = v.quiet === true;
    const bar = progressBar('synthesising', { quiet });
    const ref = opt(v, 'reference-date');
    const outDir = req(v, 'out');
    // Synthetic data only (no personal data), so plain files; a failed write is still a coded error.
    const written = writeSynthFiles(outDir, {
      seed: optInt(v, 'seed') ?? 1,
      clients: optInt(v, 'clients') ?? 2000,
      members: optInt(v, 'members') ?? 6000,
      cocLayout: layout,
      ...(overlap === undefined ? {} : { overlap }),
      ...(ref ? { referenceDate: ref } : {}),
      onProgress: (p) => bar.update(p.rows, p.total > 0 ? p.total : undefined),
    });
    const { files, counts } = await written.catch((e: unknown) => {
      bar.done();
      throw typeof (e as NodeJS.ErrnoException).code === 'string' ? unwritable(outDir, e) : e;
    });
    bar.done();
    if (!quiet)
      for (const [list, path] of Object.entries(files))
        process.stderr.write(`${list}: ${counts[list]} rows → ${path}\n`);
    return 0;
  },
};

import { basename } from 'node:path';
import { BloomlinkError } from '../../errors.js';
import { readCsvRows } from '../../read/source.js';
import { CSV_EOL, formatCsvRow } from '../../util/csv-write.js';
import { type Command, req } from '../command.js';
import { inputBytes } from '../input.js';
import { beginWithManifest } from '../manifest.js';

const ID_COLUMNS = ['PersonalID', 'MemberID'] as const;

/** Reads a pseudonym map written by `encode --pseudonyms`: which ID column it maps, and the pairs. */
async function readMap(
  path: string,
): Promise<{ column: (typeof ID_COLUMNS)[number]; ids: Map<string, string> }> {
  const label = basename(path);
  const rows = readCsvRows(inputBytes(path), { label, restoreFormulas: true });
  const head = await rows.next();
  if (head.done) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
  const [p, c] = head.value.fields.map((f) => f.trim());
  const column = ID_COLUMNS.find((x) => x.toLowerCase() === c?.toLowerCase());
  if (p?.toLowerCase() !== 'pseudonym' || !column) {
    throw new BloomlinkError(
      'COLUMN_MISSING',
      `${label}: not a pseudonym map (expected the columns Pseudonym,PersonalID or Pseudonym,MemberID)`,
    );
  }
  const ids = new Map<string, string>();
  for await (const row of rows) ids.set(row.fields[0] ?? '', row.fields[1] ?? '');
  return { column, ids };
}

/** `bloomlink reidentify`: puts real IDs back in place of pseudonyms, with the data holder's own map. */
export const reidentify: Command = {
  name: 'reidentify',
  summary: 'replace pseudonyms by real IDs in a CSV (links or return file) with your own pseudonym map',
  options: {
    in: {
      type: 'string',
      arg: 'FILE',
      help: 'CSV with a PersonalID and/or MemberID column (links.csv, mcp-return.csv)',
      required: true,
    },
    map: {
      type: 'string',
      arg: 'MAP.csv',
      help: "pseudonym map from 'encode --pseudonyms' (repeat for both sides)",
      required: true,
      multiple: true,
    },
    out: { type: 'string', arg: 'FILE', help: 'output CSV, same columns', required: true },
  },
  details: `Example (plan side, before writing the return file):
  bloomlink reidentify --in links.csv --map mcp-map.csv --out links-for-return.csv
A pseudonym missing from the map stops the run with an error naming the line (never the value).`,
  async run(v) {
    const maps = await Promise.all((v.map as string[]).map(readMap));
    const inPath = req(v, 'in');
    const label = basename(inPath);
    const rows = readCsvRows(inputBytes(inPath), { label, restoreFormulas: true });
    const head = await rows.next();
    if (head.done) throw new BloomlinkError('FILE_EMPTY', `${label}: the file is empty`);
    const header = head.value.fields;
    const targets = maps.map((m) => {
      const col = header.findIndex((h) => h.trim().toLowerCase() === m.column.toLowerCase());
      if (col < 0)
        throw new BloomlinkError(
          'COLUMN_MISSING',
          `${label}: missing column '${m.column}' that the map replaces`,
        );
      return { col, ids: m.ids, column: m.column };
    });
    async function* lines(): AsyncGenerator<string> {
      yield formatCsvRow(header) + CSV_EOL;
      for await (const row of rows) {
        const fields = [...row.fields];
        for (const t of targets) {
          const real = t.ids.get(fields[t.col] ?? '');
          if (real === undefined) {
            throw new BloomlinkError(
              'INPUT_INVALID',
              `${label}: line ${row.line}: the ${t.column} is not in the pseudonym map`,
            );
          }
          fields[t.col] = real;
        }
        yield formatCsvRow(fields) + CSV_EOL;
      }
    }
    const out = req(v, 'out');
    // Real IDs: private.
    const { set } = await beginWithManifest(reidentify, v, out, {
      files: [{ option: '--out', path: out }],
      inputs: [
        { option: '--in', path: inPath },
        ...(v.map as string[]).map((path) => ({ option: '--map', path })),
      ],
    });
    try {
      await set.writeLines(out, lines(), 'private');
    } catch (e) {
      await set.abort();
      throw e;
    }
    await set.commit();
    return 0;
  },
};

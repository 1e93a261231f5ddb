import { describe, expect, it } from 'vitest';
import { type Civil, civilFromDays, isoDate } from '../../src/synth/civil-date.js';
import { type ClientIdentity, clientIdentity, memberIdentity } from '../../src/synth/client-identity.js';
import { createContext, type SynthContext } from '../../src/synth/context.js';
import {
  CLEAN_DEFECT_RATES,
  type ClientDefectRates,
  DEFAULT_DEFECT_RATES,
  type MemberDefectRates,
} from '../../src/synth/defect-rates.js';
import { altSurname, hasNickname } from '../../src/synth/name-defects.js';
import { nameTables } from '../../src/synth/name-tables.js';
import { fullSurname, type Person, personAt } from '../../src/synth/person.js';
import { STREET_NAMES } from '../../src/synth/street-names.js';
import { damerau } from './helpers.js';

const N = 20_000;
const YEAR = 365.2425;

function context(coc: Partial<ClientDefectRates>, members: Partial<MemberDefectRates> = {}): SynthContext {
  return createContext({
    seed: 2024,
    clients: 0,
    members: N,
    defects: {
      coc: { ...CLEAN_DEFECT_RATES.coc, ...coc },
      members: { ...CLEAN_DEFECT_RATES.members, ...members },
    },
  });
}

/** Share of eligible persons whose CoC record shows the defect, and how many were eligible. */
function measureClient(
  coc: Partial<ClientDefectRates>,
  eligible: (p: Person, ctx: SynthContext) => boolean,
  shows: (id: ClientIdentity, p: Person, ctx: SynthContext) => boolean,
): { rate: number; n: number } {
  const ctx = context(coc);
  let n = 0;
  let hits = 0;
  for (let i = 0; i < N; i++) {
    const p = personAt(ctx.space, i);
    if (!eligible(p, ctx)) continue;
    n++;
    if (shows(clientIdentity(ctx, p, 0), p, ctx)) hits++;
  }
  return { rate: hits / n, n };
}

/** Binomial tolerance: 4 standard deviations plus a little slack. */
function expectRate(measured: { rate: number; n: number }, rate: number): void {
  expect(measured.n).toBeGreaterThan(300);
  const tolerance = 4 * Math.sqrt((rate * (1 - rate)) / measured.n) + 0.002;
  expect(Math.abs(measured.rate - rate)).toBeLessThanOrEqual(tolerance);
}

const all = () => true;
const upper = (s: string) => s.toUpperCase();
const age = (p: Person, ctx: SynthContext) => (ctx.space.refDay - p.dob) / YEAR;
const civil = (p: Person): Civil => civilFromDays(p.dob);
const sameDate = (a: Civil | undefined, b: Civil) => a !== undefined && isoDate(a) === isoDate(b);
const digitsOf = (c: Civil) => isoDate(c).replaceAll('-', '');
const RATE = 0.15;

describe('CoC defect rates, each measured alone over 20k records against the true person', () => {
  it('nickname (among first names that have one)', () => {
    const m = measureClient(
      { nickname: RATE },
      (p) => hasNickname(p.first),
      (id, p) => {
        const e = nameTables().nicknames.get(p.first);
        return id.name.first !== p.first && !!e && [...e.common, ...e.rare].includes(id.name.first);
      },
    );
    expectRate(m, RATE);
  });

  it('middle name used as first name', () => {
    const m = measureClient(
      { middleAsFirst: RATE },
      (p) => p.middle !== '',
      (id, p) => id.name.first === p.middle && id.name.middle === '',
    );
    expectRate(m, RATE);
  });

  it('typo in first and in last name (a small edit)', () => {
    const first = measureClient({ typoFirst: RATE }, all, (id, p) => {
      const d = damerau(id.name.first, p.first);
      return d >= 1 && d <= 4;
    });
    expectRate(first, RATE);
    const last = measureClient(
      { typoLast: RATE },
      (p) => p.surname2 === '',
      (id, p) => {
        const d = damerau(id.name.last, p.surname);
        return d >= 1 && d <= 4;
      },
    );
    expectRate(last, RATE);
  });

  it('swapped first and last name', () => {
    const m = measureClient(
      { swapNames: RATE },
      (p) => p.surname2 === '' && p.first !== p.surname,
      (id, p) => id.name.first === p.surname && id.name.last === p.first,
    );
    expectRate(m, RATE);
  });

  it('one part of a two-part surname; the whole one otherwise', () => {
    const m = measureClient(
      { compoundPartOnly: 0.35 },
      (p) => p.surname2 !== '',
      (id, p) => {
        if (id.name.last === p.surname || id.name.last === p.surname2) return true;
        expect(id.name.last.replace('-', ' ')).toBe(fullSurname(p).replace('-', ' '));
        return false;
      },
    );
    expectRate(m, 0.35);
  });

  it('married name (women 20 and over)', () => {
    const m = measureClient(
      { marriedName: RATE },
      (p, ctx) => p.sex === 'F' && age(p, ctx) >= 20 && p.surname2 === '',
      (id, p, ctx) => id.name.last === altSurname(ctx.space, p) && id.name.last !== p.surname,
    );
    expectRate(m, RATE);
  });

  it('middle name missing or initial only', () => {
    expectRate(
      measureClient(
        { middleMissing: 0.5 },
        (p) => p.middle !== '',
        (id) => id.name.middle === '',
      ),
      0.5,
    );
    expectRate(
      measureClient(
        { middleInitialOnly: 0.3 },
        (p) => p.middle.length > 1,
        (id, p) => id.name.middle === p.middle[0],
      ),
      0.3,
    );
  });

  it('suffix missing or typed into the last name', () => {
    expectRate(
      measureClient(
        { suffixMissing: 0.4 },
        (p) => p.suffix !== '',
        (id) => id.name.suffix === '',
      ),
      0.4,
    );
    expectRate(
      measureClient(
        { suffixInLastName: 0.3 },
        (p) => p.suffix !== '',
        (id, p) => id.name.suffix === '' && id.name.last.endsWith(` ${p.suffix}`),
      ),
      0.3,
    );
  });

  it('street names (adults, NameDataQuality 2) and all names missing (8/9/99)', () => {
    const street = measureClient(
      { streetName: RATE, streetNameNoSurname: 0.3 },
      (p, ctx) => age(p, ctx) >= 18,
      (id) => id.name.quality === 2 && STREET_NAMES.includes(id.name.first),
    );
    expectRate(street, RATE);
    const noSurname = measureClient(
      { streetName: 1, streetNameNoSurname: 0.3 },
      (p, ctx) => age(p, ctx) >= 18,
      (id) => id.name.last === '',
    );
    expectRate(noSurname, 0.3);
    const missing = measureClient(
      { namesMissing: 0.05 },
      all,
      (id) => id.name.first === '' && id.name.last === '' && [8, 9, 99].includes(id.name.quality),
    );
    expectRate(missing, 0.05);
  });

  it('DOB defects at their default rates, drawn together (exclusive) with matching DQ codes', () => {
    const r = DEFAULT_DEFECT_RATES.coc;
    const ctx = context({
      dobDayMonthSwap: r.dobDayMonthSwap,
      dobDigitTypo: r.dobDigitTypo,
      dobYearOffByOne: r.dobYearOffByOne,
      dobApproximate: r.dobApproximate,
      dobMissing: r.dobMissing,
      dobPlaceholder: r.dobPlaceholder,
      dobQualityMismatch: r.dobQualityMismatch,
    });
    const counts: Record<string, number> = {};
    let swapEligible = 0;
    for (let i = 0; i < N; i++) {
      const p = personAt(ctx.space, i);
      const c = civil(p);
      const { dob } = clientIdentity(ctx, p, 0);
      if (c.day <= 12 && c.day !== c.month) swapEligible++;
      counts[dob.defect] = (counts[dob.defect] ?? 0) + 1;
      const d = dob.date;
      switch (dob.defect) {
        case 'none':
          expect(sameDate(d, c) && dob.quality === 1).toBe(true);
          break;
        case 'dayMonthSwap':
          expect(d && d.month === c.day && d.day === c.month && d.year === c.year && dob.quality === 1).toBe(
            true,
          );
          break;
        case 'digitTypo': {
          const a = digitsOf(d as Civil);
          const b = digitsOf(c);
          expect([...a].filter((ch, k) => ch !== b[k]).length).toBe(1);
          expect(dob.quality).toBe(1);
          break;
        }
        case 'yearOffByOne':
          expect(Math.abs((d as Civil).year - c.year)).toBe(1);
          expect((d as Civil).month).toBe(c.month);
          break;
        case 'approximate':
          expect(dob.quality).toBe(2);
          expect((d as Civil).day).toBe(1);
          expect([1, 7]).toContain((d as Civil).month);
          expect(Math.abs((d as Civil).year - c.year)).toBeLessThanOrEqual(2);
          break;
        case 'missing':
          expect(d).toBeUndefined();
          expect([8, 9, 99]).toContain(dob.quality);
          break;
        case 'placeholder':
          expect(d && isoDate(d)).toBe('1900-01-01');
          break;
        case 'qualityMismatch':
          expect(sameDate(d, c)).toBe(true);
          expect([8, 9, 99]).toContain(dob.quality);
          break;
      }
    }
    const check = (defect: string, rate: number, n = N) =>
      expectRate({ rate: (counts[defect] ?? 0) / n, n }, rate);
    check('dayMonthSwap', r.dobDayMonthSwap, swapEligible);
    check('digitTypo', r.dobDigitTypo);
    check('yearOffByOne', r.dobYearOffByOne);
    check('approximate', r.dobApproximate);
    check('missing', r.dobMissing);
    check('placeholder', r.dobPlaceholder);
    check('qualityMismatch', r.dobQualityMismatch);
  });

  it('SSN missing (8/9/99), partial with x (DQ 2), typo', () => {
    const missing = measureClient(
      { ssnMissing: 0.5, ssnPartial: 0.2 },
      (p) => p.ssn !== '',
      (id) => id.ssn.value === '' && [8, 9, 99].includes(id.ssn.quality),
    );
    expectRate(missing, 0.5);
    const partial = measureClient(
      { ssnMissing: 0.5, ssnPartial: 0.2 },
      (p) => p.ssn !== '',
      (id, p) =>
        id.ssn.quality === 2 &&
        /^[0-9x]{9}$/.test(id.ssn.value) &&
        id.ssn.value.includes('x') &&
        [...id.ssn.value].every((ch, k) => ch === 'x' || ch === p.ssn[k]),
    );
    expectRate(partial, 0.2);
    const typo = measureClient(
      { ssnTypo: RATE },
      (p) => p.ssn !== '',
      (id, p) => id.ssn.quality === 1 && id.ssn.value !== p.ssn && damerau(id.ssn.value, p.ssn) === 1,
    );
    expectRate(typo, RATE);
    // A person without an SSN is recorded as missing.
    const none = measureClient(
      {},
      (p) => p.ssn === '',
      (id) => id.ssn.value === '' && [8, 99].includes(id.ssn.quality),
    );
    expect(none.rate).toBe(1);
  });

  it('sex missing (8/9/99/blank) or wrong', () => {
    const missing = measureClient({ sexMissing: 0.1, sexWrong: 0.05 }, all, (id) =>
      ['', '8', '9', '99'].includes(id.sexCode),
    );
    expectRate(missing, 0.1);
    const wrong = measureClient(
      { sexMissing: 0.1, sexWrong: 0.05 },
      all,
      (id, p) => id.sex !== undefined && id.sex !== p.sex && id.sexCode === (id.sex === 'F' ? '0' : '1'),
    );
    expectRate(wrong, 0.05);
  });

  it('with every rate zero the record is the person', () => {
    const m = measureClient({}, all, (id, p) => {
      const c = civil(p);
      return (
        id.name.first === p.first &&
        id.name.middle === p.middle &&
        id.name.last.replace('-', ' ') === fullSurname(p).replace('-', ' ') &&
        id.name.suffix === p.suffix &&
        id.name.quality === 1 &&
        sameDate(id.dob.date, c) &&
        id.dob.quality === 1 &&
        (p.ssn === '' || (id.ssn.value === p.ssn && id.ssn.quality === 1)) &&
        id.sex === p.sex
      );
    });
    expect(m.rate).toBe(1);
  });
});

describe('member defect rates', () => {
  function measureMember(
    members: Partial<MemberDefectRates>,
    eligible: (p: Person) => boolean,
    shows: (id: ReturnType<typeof memberIdentity>, p: Person) => boolean,
  ) {
    const ctx = context({}, members);
    let n = 0;
    let hits = 0;
    for (let i = 0; i < N; i++) {
      const p = personAt(ctx.space, i);
      if (!eligible(p)) continue;
      n++;
      if (shows(memberIdentity(ctx, p), p)) hits++;
    }
    return { rate: hits / n, n };
  }

  it('nickname, day/month swap, SSN missing and sex U are measured as configured', () => {
    expectRate(
      measureMember(
        { nickname: RATE },
        (p) => hasNickname(p.first),
        (id, p) => id.name.first !== p.first,
      ),
      RATE,
    );
    expectRate(
      measureMember(
        { dobDayMonthSwap: RATE },
        (p) => civil(p).day <= 12 && civil(p).day !== civil(p).month,
        (id, p) => !sameDate(id.dob, civil(p)),
      ),
      RATE,
    );
    expectRate(
      measureMember(
        { ssnMissing: RATE },
        (p) => p.ssn !== '',
        (id) => id.ssn === '',
      ),
      RATE,
    );
    expectRate(
      measureMember({ sexMissing: RATE }, all, (id) => id.sex === 'U'),
      RATE,
    );
  });

  it('the plan side is much cleaner than the CoC side by default', () => {
    const m = DEFAULT_DEFECT_RATES.members;
    const c = DEFAULT_DEFECT_RATES.coc;
    for (const k of Object.keys(m) as (keyof MemberDefectRates)[]) expect(m[k]).toBeLessThanOrEqual(c[k]);
  });
});

describe('data-quality codes in the written rows agree with the values (default rates)', () => {
  it('name, DOB, SSN and sex codes are consistent', async () => {
    const { synthesize } = await import('../../src/synth/index.js');
    const rows = [...synthesize({ seed: 5, clients: N, members: N }).clients()];
    const street = new Set(STREET_NAMES.map(upper));
    const dq = ['8', '9', '99'];
    // Collected rather than asserted row by row: one failure report lists every broken rule.
    const broken = new Set<string>();
    const rule = (name: string, ok: boolean) => {
      if (!ok) broken.add(name);
    };
    for (const r of rows) {
      const nq = r.NameDataQuality as string;
      const blank = r.FirstName === '' && r.LastName === '';
      if (nq === '1') rule('name DQ 1 has first and last', r.FirstName !== '' && r.LastName !== '');
      if (nq === '2') rule('name DQ 2 is a street name', street.has(upper(r.FirstName as string)));
      if (dq.includes(nq)) rule('name DQ 8/9/99 is blank', blank);
      if (blank) rule('blank name has DQ 8/9/99', dq.includes(nq));

      const dobQ = r.DOBDataQuality as string;
      rule('DOB DQ is a HUD code', ['1', '2', ...dq].includes(dobQ));
      if (r.DOB === '') rule('blank DOB has DQ 8/9/99', dq.includes(dobQ));
      if (dobQ === '2' && r.DOB !== '1900-01-01')
        rule('approximate DOB is 01-01 or 07-01', /-0[17]-01$/.test(r.DOB as string));

      const sq = r.SSNDataQuality as string;
      if (sq === '1') rule('SSN DQ 1 is 9 digits', /^\d{9}$/.test(r.SSN as string));
      if (sq === '2') rule('SSN DQ 2 is partial with x', /^(?=.*x)[0-9x]{9}$/.test(r.SSN as string));
      if (r.SSN === '') rule('blank SSN has DQ 8/9/99', dq.includes(sq));

      rule('Sex is a 4.21 code or blank', ['0', '1', '8', '9', '99', ''].includes(r.Sex as string));
    }
    expect([...broken]).toEqual([]);
    // The default rates show up in the output at about their size.
    const share = (f: (r: Record<string, string>) => boolean) => rows.filter(f).length / rows.length;
    expect(share((r) => r.DOBDataQuality === '2')).toBeGreaterThan(0.015);
    expect(share((r) => r.SSN === '')).toBeGreaterThan(0.4);
    expect(share((r) => r.NameDataQuality === '2')).toBeGreaterThan(0.005);
  });
});

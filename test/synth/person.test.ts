import { describe, expect, it } from 'vitest';
import { civilFromDays } from '../../src/synth/civil-date.js';
import { createContext } from '../../src/synth/context.js';
import { fullSurname, type Person, personAt } from '../../src/synth/person.js';
import { ruleBook } from './helpers.js';

const ctx = createContext({ seed: 11, clients: 5000, members: 20_000 });
const persons: Person[] = Array.from({ length: 25_000 }, (_, i) => personAt(ctx.space, i));
const YEAR = 365.2425;

describe('personAt', () => {
  it('is a pure function of (seed, index)', () => {
    expect(personAt(ctx.space, 123)).toEqual(persons[123]);
    const other = createContext({ seed: 12, clients: 5000, members: 20_000 });
    expect(personAt(other.space, 123)).not.toEqual(persons[123]);
  });

  it('has plausible values', () => {
    const { check, broken } = ruleBook();
    for (const p of persons) {
      check('first name is letters', /^[A-Z]+$/.test(p.first));
      check('surname is letters', /^[A-Z]+$/.test(p.surname));
      check('born before the reference date', p.dob < ctx.space.refDay);
      check('younger than 100', (ctx.space.refDay - p.dob) / YEAR < 100);
      if (p.ssn) check('SSN is valid', /^(?!000|666|9)\d{3}(?!00)\d{2}(?!0000)\d{4}$/.test(p.ssn));
    }
    expect(broken()).toEqual([]);
    const share = (f: (p: Person) => boolean) => persons.filter(f).length / persons.length;
    expect(share((p) => p.sex === 'F')).toBeGreaterThan(0.45);
    expect(share((p) => p.middle !== '')).toBeGreaterThan(0.6);
    expect(share((p) => p.surname2 !== '')).toBeGreaterThan(0.03);
    expect(share((p) => p.suffix !== '')).toBeGreaterThan(0.005);
    expect(share((p) => p.suffix !== '')).toBeLessThan(0.05);
    expect(share((p) => (ctx.space.refDay - p.dob) / YEAR < 18)).toBeGreaterThan(0.1);
  });

  it('makes realistic hard negatives: families, twins and JR/SR pairs', () => {
    const kinds = new Map<string, number>();
    for (const p of persons) {
      kinds.set(p.relation, (kinds.get(p.relation) ?? 0) + 1);
      if (p.relation === 'none') continue;
      const a = personAt(ctx.space, p.relative);
      expect(a.relation).toBe('none');
      expect(fullSurname(p)).toBe(fullSurname(a));
      if (p.relation === 'twin') {
        expect(p.dob).toBe(a.dob);
        expect(p.first).not.toBe(a.first);
      }
      if (p.relation === 'family') expect(Math.abs(p.dob - a.dob)).toBeGreaterThanOrEqual(365);
      if (p.relation === 'junior' || p.relation === 'senior') {
        expect(p.first).toBe(a.first);
        expect(p.middle).toBe(a.middle);
        const gap = (p.dob - a.dob) / YEAR;
        expect(Math.abs(gap)).toBeGreaterThanOrEqual(20);
        expect(gap > 0).toBe(p.relation === 'junior');
        if (p.relation === 'junior') expect(['JR', 'II']).toContain(p.suffix);
      }
    }
    for (const k of ['family', 'twin', 'junior', 'senior']) expect(kinds.get(k) ?? 0).toBeGreaterThan(10);
  });

  it('puts relatives in both lists: members next to members, non-member clients next to members', () => {
    const members = ctx.space.members;
    const memberPairs = persons.filter((p) => p.index < members && p.relation !== 'none');
    expect(memberPairs.every((p) => p.relative === p.index - 1)).toBe(true);
    const clientToMember = persons.filter(
      (p) => p.index >= members && p.relation !== 'none' && p.relative < members,
    );
    const clientToClient = persons.filter(
      (p) => p.index >= members && p.relation !== 'none' && p.relative >= members,
    );
    expect(clientToMember.length).toBeGreaterThan(50);
    expect(clientToClient.length).toBeGreaterThan(50);
  });

  it('DOBs are real dates', () => {
    for (const p of persons.slice(0, 1000)) expect(civilFromDays(p.dob).year).toBeGreaterThan(1900);
  });
});

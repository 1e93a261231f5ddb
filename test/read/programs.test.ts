import { describe, expect, it } from 'vitest';
import { COMMUNITY_SUPPORTS, canonicalProgram, ECM } from '../../src/read/programs.js';

describe('canonicalProgram', () => {
  it('knows ECM and the 15 Community Supports services under their own names', () => {
    expect(COMMUNITY_SUPPORTS).toHaveLength(15);
    expect(canonicalProgram('ECM')).toBe(ECM);
    for (const cs of COMMUNITY_SUPPORTS) {
      expect(canonicalProgram(cs.name)).toBe(cs.name);
      for (const alias of cs.aliases) expect(canonicalProgram(alias), alias).toBe(cs.name);
    }
  });

  it('ignores case, spacing, punctuation and & vs and', () => {
    expect(canonicalProgram(' enhanced   care management ')).toBe('ECM');
    expect(canonicalProgram('ecm')).toBe('ECM');
    expect(canonicalProgram('HOUSING TENANCY & SUSTAINING SERVICES')).toBe(
      'Housing Tenancy and Sustaining Services',
    );
    expect(canonicalProgram('short term post hospitalization housing')).toBe(
      'Short-Term Post-Hospitalization Housing',
    );
    expect(canonicalProgram('Medically Tailored Meals / Medically Supportive Food')).toBe(
      'Medically Tailored Meals/Medically-Supportive Food',
    );
  });

  it('reads the pre-2025 names of renamed services as the 2025 names', () => {
    expect(canonicalProgram('Nursing Facility Transition/Diversion to Assisted Living Facilities')).toBe(
      'Assisted Living Facility (ALF) Transitions',
    );
    expect(canonicalProgram('Community Transition Services/Nursing Facility Transition to a Home')).toBe(
      'Community or Home Transition Services',
    );
  });

  it('rejects anything else', () => {
    for (const raw of ['', 'CS', 'Food Bank', 'Housing', 'Nursing Facility Transition', 'ECM CS']) {
      expect(canonicalProgram(raw), raw).toBeUndefined();
    }
  });

  it('no two services share a spelling', () => {
    const keys = COMMUNITY_SUPPORTS.flatMap((cs) => [cs.name, ...cs.aliases]).map((n) =>
      n.toLowerCase().replace(/[^a-z0-9]/g, ''),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});

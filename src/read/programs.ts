/**
 * Program names of the MCP program list: `ECM` and the DHCS Community Supports services
 * (domain.md §3.1). Old (2022–2024 Policy Guide) and new (2025) names of a renamed service read as
 * the same service, spelled the current way, so one service gets one return-file column.
 */

/**
 * Enhanced Care Management, as written in the program list and the return file.
 *
 * @example
 * ```ts
 * canonicalProgram('Enhanced Care Management') === ECM; // true
 * ```
 */
export const ECM = 'ECM';

/** One Community Supports service: its current DHCS name and other accepted spellings. */
export interface CommunitySupport {
  /** Canonical spelling (the 2025 DHCS name). */
  readonly name: string;
  /** Earlier DHCS names and common short forms, matched like `name`. */
  readonly aliases: readonly string[];
}

/**
 * The 15 Community Supports services (14 from 2022, Transitional Rent from 2025-07-01).
 *
 * @example
 * ```ts
 * COMMUNITY_SUPPORTS.length; // 15
 * COMMUNITY_SUPPORTS[0]?.name; // 'Housing Transition Navigation Services'
 * ```
 */
export const COMMUNITY_SUPPORTS: readonly CommunitySupport[] = Object.freeze(
  (
    [
      ['Housing Transition Navigation Services', []],
      ['Housing Deposits', []],
      ['Housing Tenancy and Sustaining Services', []],
      ['Short-Term Post-Hospitalization Housing', []],
      ['Recuperative Care (Medical Respite)', ['Recuperative Care', 'Medical Respite']],
      ['Respite Services', ['Caregiver Respite Services']],
      ['Day Habilitation Programs', []],
      [
        'Assisted Living Facility (ALF) Transitions',
        [
          'Nursing Facility Transition/Diversion to Assisted Living Facilities',
          'Assisted Living Facility Transitions',
        ],
      ],
      [
        'Community or Home Transition Services',
        [
          'Community Transition Services/Nursing Facility Transition to a Home',
          'Community Transition Services',
        ],
      ],
      ['Personal Care and Homemaker Services', []],
      [
        'Environmental Accessibility Adaptations (Home Modifications)',
        ['Environmental Accessibility Adaptations', 'Home Modifications'],
      ],
      [
        'Medically Tailored Meals/Medically-Supportive Food',
        ['Medically Tailored Meals', 'Medically Supportive Food'],
      ],
      ['Sobering Centers', ['Sobering Center']],
      ['Asthma Remediation', []],
      ['Transitional Rent', []],
    ] as const
  ).map(([name, aliases]) => Object.freeze({ name, aliases: Object.freeze([...aliases]) })),
);

// Case, spacing, punctuation and "&" vs "and" are not part of a name's identity.
function nameKey(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '');
}

const CANONICAL: ReadonlyMap<string, string> = new Map([
  [nameKey(ECM), ECM],
  [nameKey('Enhanced Care Management'), ECM],
  ...COMMUNITY_SUPPORTS.flatMap((cs) => [cs.name, ...cs.aliases].map((n) => [nameKey(n), cs.name] as const)),
]);

/**
 * The canonical program name for a value of the Program column, or `undefined` when it is neither
 * ECM nor a Community Supports service. Case, spacing and punctuation are ignored.
 *
 * @example
 * ```ts
 * canonicalProgram('enhanced care management'); // 'ECM'
 * canonicalProgram('Nursing Facility Transition/Diversion to Assisted Living Facilities');
 * // 'Assisted Living Facility (ALF) Transitions'
 * canonicalProgram('Bus passes'); // undefined
 * ```
 */
export function canonicalProgram(raw: string): string | undefined {
  return CANONICAL.get(nameKey(raw));
}

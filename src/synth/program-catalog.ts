import { daysFromCivil } from '../normalise/date.js';

/** Provider pools (fictional organisations; names with commas, ampersands and apostrophes on purpose). */
const HOPE = 'Hope & Harbor Services, Inc.';
const PROVIDERS = {
  ecm: [
    'Harbor Community Health Partners',
    'Valley Care Coordination Network',
    'Bridgeway Health Services',
    'Sunrise Community Clinics',
    'Pacific Crest Care Management',
    HOPE,
    'Eastside Family Health Center',
    'Mission Street Outreach Collaborative',
  ],
  housing: [
    'Open Door Housing Collaborative',
    'Bayview Housing Navigation',
    'HomeBridge Partners',
    'Second Chance Housing Alliance',
    HOPE,
    'Golden Path Supportive Housing',
    'Cornerstone Tenancy Services',
  ],
  recuperative: ["St. Anne's Recuperative Care", 'Lighthouse Medical Respite'],
  postHospital: ['Harborview Post-Acute Housing', 'Lighthouse Medical Respite'],
  sobering: ['Crossroads Sobering Center'],
  respite: ['Good Shepherd Respite Care', 'Caring Hands Home Services'],
  dayHab: ['New Horizons Day Program'],
  assistedLiving: ['Willow Creek Assisted Living'],
  transition: ['Home Again Transitions'],
  personalCare: ['Caring Hands Home Services', 'Home Again Transitions'],
  meals: ['Nourish Medically Tailored Meals', 'Fresh Start Nutrition'],
  home: ['Clean Air Home Solutions', 'Accessible Homes Contractors'],
} as const;

/**
 * One program a plan can enroll a member in, with how this generator draws its episodes.
 *
 * @example
 * ```ts
 * const ecm: ProgramSpec | undefined = PROGRAMS.find((p) => p.name === 'ECM');
 * ```
 */
export interface ProgramSpec {
  /** `ECM` or the Community Supports service name exactly as in domain.md §3.1. */
  readonly name: string;
  readonly providers: readonly string[];
  /** Probability a member who is a CoC client (homeless population of focus) has an episode. */
  readonly homelessRate: number;
  /** Probability for any other member. */
  readonly otherRate: number;
  /** Other members only from this age on (years); 0 = any age. */
  readonly otherMinAge: number;
  /** First day the program existed (ECM and CS launched 2022-01-01; Transitional Rent 2025-07-01). */
  readonly launch: number;
  /** Episode length range in days. */
  readonly minDays: number;
  readonly maxDays: number;
  /** Share of episodes still open (no EndDate) when the length would allow an end. */
  readonly openShare: number;
}

const CALAIM = daysFromCivil(2022, 1, 1);

function spec(
  name: string,
  providers: readonly string[],
  homelessRate: number,
  otherRate: number,
  minDays: number,
  maxDays: number,
  openShare: number,
  extra: { otherMinAge?: number; launch?: number } = {},
): ProgramSpec {
  return {
    name,
    providers,
    homelessRate,
    otherRate,
    otherMinAge: extra.otherMinAge ?? 0,
    launch: extra.launch ?? CALAIM,
    minDays,
    maxDays,
    openShare,
  };
}

/**
 * ECM and the 15 Community Supports with rough, plausible uptake: much higher among members who
 * are CoC clients (ECM population of focus 1a/1b) for ECM and the housing services; the
 * health-related services are mostly drawn by other members.
 *
 * @example
 * ```ts
 * PROGRAMS.map((p) => p.name).includes('Recuperative Care (Medical Respite)'); // true
 * ```
 */
export const PROGRAMS: readonly ProgramSpec[] = [
  spec('ECM', PROVIDERS.ecm, 0.35, 0.015, 90, 720, 0.55),
  spec('Housing Transition Navigation Services', PROVIDERS.housing, 0.3, 0.002, 60, 540, 0.5),
  spec('Housing Deposits', PROVIDERS.housing, 0.1, 0.0005, 1, 30, 0.05),
  spec('Housing Tenancy and Sustaining Services', PROVIDERS.housing, 0.15, 0.002, 90, 720, 0.6),
  spec('Short-Term Post-Hospitalization Housing', PROVIDERS.postHospital, 0.03, 0.0003, 14, 180, 0.2),
  spec('Recuperative Care (Medical Respite)', PROVIDERS.recuperative, 0.05, 0.0005, 7, 90, 0.15),
  spec('Respite Services', PROVIDERS.respite, 0.005, 0.002, 1, 30, 0.1),
  spec('Day Habilitation Programs', PROVIDERS.dayHab, 0.01, 0.001, 90, 365, 0.5),
  spec(
    'Nursing Facility Transition/Diversion to Assisted Living Facilities',
    PROVIDERS.assistedLiving,
    0.003,
    0.002,
    30,
    365,
    0.5,
    {
      otherMinAge: 65,
    },
  ),
  spec(
    'Community Transition Services/Nursing Facility Transition to a Home',
    PROVIDERS.transition,
    0.005,
    0.001,
    30,
    180,
    0.3,
    {
      otherMinAge: 55,
    },
  ),
  spec('Personal Care and Homemaker Services', PROVIDERS.personalCare, 0.01, 0.006, 90, 720, 0.6, {
    otherMinAge: 50,
  }),
  spec(
    'Environmental Accessibility Adaptations (Home Modifications)',
    PROVIDERS.home,
    0.001,
    0.002,
    7,
    90,
    0.1,
    {
      otherMinAge: 50,
    },
  ),
  spec('Medically Tailored Meals/Medically-Supportive Food', PROVIDERS.meals, 0.04, 0.01, 84, 180, 0.3),
  spec('Sobering Centers', PROVIDERS.sobering, 0.03, 0.0005, 1, 1, 0),
  spec('Asthma Remediation', PROVIDERS.home, 0.002, 0.003, 7, 60, 0.1),
  spec('Transitional Rent', PROVIDERS.housing, 0.04, 0.0002, 30, 180, 0.6, {
    launch: daysFromCivil(2025, 7, 1),
  }),
];

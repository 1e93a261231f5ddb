import { Rng, unit } from './prng.js';
import { STREAM } from './streams.js';

/**
 * The random decisions of one record: each defect id has its own decision stream and its own
 * detail generator, so whether one defect fires never depends on another's rate.
 *
 * @example
 * ```ts
 * const dice = new DefectDice(key, STREAM.memberDefects, personIndex);
 * if (dice.fires(DEFECT_ID.nickname, 0.08)) first = nicknameOf(first, dice.detail(DEFECT_ID.nickname));
 * ```
 */
export class DefectDice {
  private readonly key: number;
  private readonly base: number;
  private readonly index: number;

  constructor(key: number, base: number, index: number) {
    this.key = key;
    this.base = base;
    this.index = index;
  }

  /** Uniform in [0, 1), fixed for this record and defect. */
  u(defect: number): number {
    return unit(this.key, this.base + defect, this.index);
  }

  /** Whether a defect with this rate fires for this record. */
  fires(defect: number, rate: number): boolean {
    return rate > 0 && this.u(defect) < rate;
  }

  /** A generator for carrying out the defect (position of a typo, which nickname, …). */
  detail(defect: number): Rng {
    return new Rng(this.key, this.base + defect + STREAM.detail, this.index);
  }
}

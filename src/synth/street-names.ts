/**
 * Street and code names as recorded in outreach (NameDataQuality 2): monikers, placeholders for an
 * unknown name, and code names some projects assign to protect a client. Invented for this
 * generator; any resemblance to a real person's alias is accidental.
 *
 * @example
 * ```ts
 * rng.pick(STREET_NAMES); // e.g. 'SHORTY'
 * ```
 */
export const STREET_NAMES: readonly string[] = [
  'SHORTY',
  'BIG MIKE',
  'LIL MAN',
  'TEXAS',
  'RED',
  'SMOKEY',
  'SLIM',
  'TINY',
  'DOC',
  'PREACHER',
  'SARGE',
  'CHINO',
  'FLACO',
  'GORDO',
  'GUERO',
  'BLUE',
  'BOOTS',
  'LUCKY',
  'SUNSHINE',
  'PRINCESS',
  'MAMA',
  'GRANDPA',
  'CAPTAIN',
  'COWBOY',
  'BEAR',
  'SKINNY',
  'DREAD',
  'OHIO',
  'BOSTON',
  'SPIDER',
  'ANGEL',
  'GYPSY',
  'UNKNOWN',
  'UNK',
  'ANON',
  'NO NAME',
  'DOE',
  'CLIENT',
  'REFUSED',
  'TBD',
];

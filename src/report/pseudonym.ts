/**
 * Report-only labels for record identifiers. Labels are handed out in order of first appearance, so
 * they carry nothing of the identifier itself (a hash of a short numeric ID could be reversed by
 * trying every ID) and differ from one report to the next.
 */

/**
 * Gives each distinct identifier of one side a stable label within one report.
 * @example
 * ```ts
 * const clients = new Pseudonyms('client');
 * clients.label('4143774'); // 'client-0001'
 * clients.label('9059760'); // 'client-0002'
 * clients.label('4143774'); // 'client-0001'
 * ```
 */
export class Pseudonyms {
  private readonly labels = new Map<string, string>();

  /** @param prefix Label prefix, e.g. `client` → `client-0001`. */
  constructor(private readonly prefix: string) {}

  /** The label of `id`, assigning the next one on first sight. */
  label(id: string): string {
    let l = this.labels.get(id);
    if (l === undefined) {
      l = `${this.prefix}-${String(this.labels.size + 1).padStart(4, '0')}`;
      this.labels.set(id, l);
    }
    return l;
  }
}

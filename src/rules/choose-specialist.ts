/** A specialist who could take a visit, with the visits already open on them. */
export interface SpecialistCandidate {
  id: string;
  openVisits: number;
}

/**
 * Picks the specialist to assign a visit to: the one with the fewest open visits, ties
 * broken by the smaller id (plain string comparison by UTF-16 code unit, not locale order,
 * so every server picks the same person).
 *
 * Invariant: deterministic and independent of the candidates' order; `null` only for an
 * empty list.
 */
export function chooseSpecialist(candidates: readonly SpecialistCandidate[]): string | null {
  let best: SpecialistCandidate | null = null;
  for (const candidate of candidates) {
    if (
      best === null ||
      candidate.openVisits < best.openVisits ||
      (candidate.openVisits === best.openVisits && candidate.id < best.id)
    ) {
      best = candidate;
    }
  }
  return best?.id ?? null;
}

/**
 * The grader's own property (issue 15), family "mutant": one value wrong beyond the precision it is written at loses points at its check, and no other check changes but those a documented rule lets follow.
 * Over the generators of ./generators.ts, for every check that grades what a pair wrote or
 * measured. The expected scores are `correct`'s own (solutions/correct, written by an
 * independent Python script), graded once. Seeded (./family.ts).
 */
import { propertyFamily } from './family.ts';

propertyFamily('mutant', 'loses points at this check alone');

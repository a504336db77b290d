/**
 * The grader's own property (issue 15), family "rewrite": a right answer written another way (every rounding to at least the floor of 4 significant digits, number and dimension formats, layer-name case, with or without INPUT, each bias convention, expressions with rounded constants, every .npy dtype and orientation, history formats, reordered keys) scores exactly as `correct` on every check.
 * Over the generators of ./generators.ts, for every check that grades what a pair wrote or
 * measured. The expected scores are `correct`'s own (solutions/correct, written by an
 * independent Python script), graded once. Seeded (./family.ts).
 */
import { propertyFamily } from './family.ts';

propertyFamily('rewrite', 'scores exactly as correct on every check');

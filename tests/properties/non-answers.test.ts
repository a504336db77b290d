/**
 * The grader's own property (issue 15), family "nonAnswer": zeros, copies of the inputs, one value repeated, empty or 1×1 arrays, NaN, a value of the wrong type earn 0 at their check, and never crash the grader (a wrong type is an input error with a message).
 * Over the generators of ./generators.ts, for every check that grades what a pair wrote or
 * measured. The expected scores are `correct`'s own (solutions/correct, written by an
 * independent Python script), graded once. Seeded (./family.ts).
 */
import { propertyFamily } from './family.ts';

propertyFamily('nonAnswer', 'earns 0 for a non-answer and crashes nothing');

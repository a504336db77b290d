/**
 * The base of the property suite: the correct example graded in memory, with its .npy samples,
 * histories, notebook and file list, and its models' measurements as on real test data.
 */
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../checks/index.ts';
import { baselineGrade, TARGETS, variantArb } from './generators.ts';

describe('the correct example, graded in memory with its inputs', () => {
  it('earns every automatic point', () => {
    const { rows, harnessFaults } = baselineGrade();
    expect(harnessFaults).toEqual([]);
    const short = Object.values(rows).filter((r) => r.kind === 'auto' && r.score !== r.points).map((r) => `${r.id}: ${r.message}`);
    expect(short).toEqual([]);
  });

  it('has mutants or non-answers for every automatic check of the registry', () => {
    const auto = REGISTRY.filter((c) => c.kind === 'auto').map((c) => c.id);
    expect(auto.filter((id) => !TARGETS.includes(id as never) || !(variantArb(id as never, 'mutant') || variantArb(id as never, 'nonAnswer')))).toEqual([]);
  });
});

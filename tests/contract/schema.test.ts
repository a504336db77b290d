import { describe, expect, it } from 'vitest';
import { jsonSchema, ModelRef } from '../../src/contract/schema.ts';

describe('jsonSchema', () => {
  it('describes the contract: version 1 and every answer part', () => {
    const schema = jsonSchema() as { properties: Record<string, { const?: number; properties?: Record<string, unknown> }> };
    expect(schema.properties.contract!.const).toBe(1);
    expect(Object.keys(schema.properties.answers!.properties!)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'task1', 'task2', 'task3']);
  });
});

describe('preprocessing.mean and std', () => {
  it('hw2.json accepts a number or a list, and refuses a zero std', () => {
    expect(ModelRef.safeParse({ path: 'm.onnx', preprocessing: { scale: 1, mean: 0.1307, std: 0.3081, layout: 'flat' } }).success).toBe(true);
    expect(ModelRef.safeParse({ path: 'm.onnx', preprocessing: { scale: 1, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], layout: 'NCHW' } }).success).toBe(true);
    expect(ModelRef.safeParse({ path: 'm.onnx', preprocessing: { scale: 1, std: 0, layout: 'flat' } }).success).toBe(false);
  });
});

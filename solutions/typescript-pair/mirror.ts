/** The average of a row and its reverse: symmetric under i → d-1-i. */
export function mirror(row: number[]): number[] {
  return row.map((w, i) => (w + row[row.length - 1 - i]!) / 2);
}

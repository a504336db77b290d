/** The little dense linear algebra the references need: row-major Float64Array matrices. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, fill?: (i: number, j: number) => number): Matrix {
  const data = new Float64Array(rows * cols);
  if (fill) for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = fill(i, j);
  return { rows, cols, data };
}

/** A·B, or Aᵀ·B with transposeA, or A·Bᵀ with transposeB. */
export function multiply(a: Matrix, b: Matrix, transposeA = false, transposeB = false): Matrix {
  const n = transposeA ? a.cols : a.rows;
  const inner = transposeA ? a.rows : a.cols;
  const m = transposeB ? b.rows : b.cols;
  if (inner !== (transposeB ? b.cols : b.rows)) throw new Error('multiply: inner dimensions differ');
  const out = matrix(n, m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inner; k++) {
      const aik = transposeA ? a.data[k * a.cols + i]! : a.data[i * a.cols + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) {
        out.data[i * m + j]! += aik * (transposeB ? b.data[j * b.cols + k]! : b.data[k * b.cols + j]!);
      }
    }
  }
  return out;
}

/** Solves A·X = B for square A by Gaussian elimination with partial pivoting. */
export function solve(a: Matrix, b: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n || b.rows !== n) throw new Error('solve: shapes do not fit');
  const m = b.cols;
  const A = Float64Array.from(a.data);
  const B = Float64Array.from(b.data);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col]!) > Math.abs(A[pivot * n + col]!)) pivot = r;
    if (pivot !== col) {
      for (let j = 0; j < n; j++) [A[col * n + j], A[pivot * n + j]] = [A[pivot * n + j]!, A[col * n + j]!];
      for (let j = 0; j < m; j++) [B[col * m + j], B[pivot * m + j]] = [B[pivot * m + j]!, B[col * m + j]!];
    }
    const p = A[col * n + col]!;
    if (p === 0) throw new Error('solve: singular matrix');
    for (let r = col + 1; r < n; r++) {
      const f = A[r * n + col]! / p;
      if (f === 0) continue;
      for (let j = col; j < n; j++) A[r * n + j]! -= f * A[col * n + j]!;
      for (let j = 0; j < m; j++) B[r * m + j]! -= f * B[col * m + j]!;
    }
  }
  const X = new Float64Array(n * m);
  for (let r = n - 1; r >= 0; r--) {
    for (let j = 0; j < m; j++) {
      let s = B[r * m + j]!;
      for (let k = r + 1; k < n; k++) s -= A[r * n + k]! * X[k * m + j]!;
      X[r * m + j] = s / A[r * n + r]!;
    }
  }
  return { rows: n, cols: m, data: X };
}

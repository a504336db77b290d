/** Three pairs' answers to the manual questions, with LaTeX and with HTML that must stay text. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ANSWERS: Record<string, { q1: string; q4?: string }> = {
  'pair-a': {
    q1: 'Let $v = w - w_t$. Then $$R(w) = \\mathbb{E}[(v^\\top x)^2] = v^\\top \\mathbb{E}[x x^\\top]\\, v = \\|w - w_t\\|^2$$ since $\\mathbb{E}[xx^\\top] = I$.',
    q4: 'By symmetry $\\mathbb{E}[\\max(0,z)^2] = \\tfrac12$, so $\\sigma_l = \\sqrt{2/d_{l-1}}$.',
  },
  'pair-b': { q1: '<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) and $\\frac{1}{2}\\|w\\|^2$', q4: 'sigma = sqrt(2/d)' },
  'pair-c': { q1: 'Since \\(x \\sim \\mathcal N(0, I)\\), \\[ \\mathbb E[xx^\\top] = I \\] hence the claim.' },
};

/** A folder of submissions (hw2.json only: nothing to train or evaluate), one per pair of ANSWERS. */
export function submissionsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hw2-review-subs-'));
  const ids = [['123456782', '234567891'], ['345678902', '456789013'], ['567890124', '678901235']];
  for (const [i, [id, a]] of Object.entries(ANSWERS).entries()) {
    mkdirSync(join(dir, id));
    const answers = { q1: { proof: a.q1 }, ...(a.q4 ? { q4: { proof: a.q4 } } : {}) };
    writeFileSync(join(dir, id, 'hw2.json'), JSON.stringify({ contract: 1, group: { ids: ids[i] }, answers }));
  }
  return dir;
}

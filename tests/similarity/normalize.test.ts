/** What normalisation keeps and drops: a disguised copy must give the same symbols as its source. */
import { describe, expect, it } from 'vitest';
import { MAX_CHARS, proseTokens, pythonTokens, seedsIn } from '../../src/similarity/normalize.ts';

const symbols = (code: string) => pythonTokens(code).map((t) => t.symbol).join(' ');

describe('pythonTokens', () => {
  it('gives renamed variables, other literals, comments and spacing the same symbols', () => {
    const source = 'x = torch.randn(512)  # the input\nfor i in range(100):\n    x = w @ x\n    print("layer", i, x.std())';
    const copy = 'inp_vec=torch.randn(256)\n# our loop\nfor layer_idx in range( 7 ):\n    inp_vec = W2 @ inp_vec\n    print(\'at\', layer_idx, inp_vec.std())';
    expect(symbols(copy)).toBe(symbols(source));
    expect(symbols(source)).toBe('V = V . .randn ( N ) for V in range ( N ) : V = V @ V print ( S , V , V . .std ( ) )');
  });

  it('keeps keywords, builtins and the API called, which a copier rarely changes', () => {
    expect(symbols('y = np.sqrt(6 / (a + b))')).not.toBe(symbols('y = np.log(6 / (a + b))'));
    expect(symbols('if x: pass')).toBe('if V : pass');
  });

  it('reads strings of every kind as one literal, and keeps where each token is', () => {
    const code = 'a = f"{x}" + r\'\\d\' + """many\nlines""" + b\'raw\'';
    expect(symbols(code)).toBe('V = S + S + S + S');
    const [first, , second] = pythonTokens('ab = 12');
    expect([first, second]).toEqual([{ symbol: 'V', start: 0, end: 2 }, { symbol: 'N', start: 5, end: 7 }]);
  });

  it('survives what a submission may hold: an unclosed string, any character, a huge cell', () => {
    expect(symbols('s = "never closed\nx = 1')).toBe('V = S V = N');
    expect(symbols('π = 3.14 ; 𝑥λ = π ∑')).toBe('V = N ; V = V ∑');
    expect(pythonTokens('x = 1\n'.repeat(MAX_CHARS)).at(-1)!.end).toBeLessThanOrEqual(MAX_CHARS);
  });
});

describe('proseTokens', () => {
  it('gives lower-cased words without punctuation or Markdown', () => {
    expect(proseTokens('## Q1\nLet **v** = w - w_t. Then').map((t) => t.symbol)).toEqual(['q1', 'let', 'v', 'w', 'w', 't', 'then']);
  });
});

describe('seedsIn', () => {
  it('finds the seeds torch, numpy and scikit-learn code sets, once each', () => {
    expect(seedsIn('torch.manual_seed(211)\nnp.random.seed( 0 )\nKMeans(random_state=42)\nrng = np.random.default_rng(7)\ntorch.manual_seed(211)')).toEqual(['211', '0', '42', '7']);
    expect(seedsIn('x = torch.randn(3)')).toEqual([]);
  });
});

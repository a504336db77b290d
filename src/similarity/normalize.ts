/**
 * What a copy keeps when it is disguised, as a sequence of symbols with their place in the
 * original text. Code: Python's tokens with comments and whitespace dropped, every literal a
 * placeholder (S, N) and every name the pair chose a V, so renaming variables or changing
 * numbers and comments changes nothing; keywords, builtins and attribute names (the API
 * called: `.randn`, `.mean`) are kept, since a copier rarely changes them. Prose: its words,
 * lower-cased, without punctuation or Markdown. Pure, and bounded: a cell longer than
 * MAX_CHARS is read up to there.
 */

export interface Token {
  /** The normalised symbol. */
  symbol: string;
  /** Where it is in the original text: [start, end) in UTF-16 units. */
  start: number;
  end: number;
}

/** Characters read of one cell or answer: past this a document is cut (a submission controls its length). */
export const MAX_CHARS = 200_000;

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield',
]);
const BUILTINS = new Set([
  'abs', 'all', 'any', 'bool', 'dict', 'enumerate', 'filter', 'float', 'int', 'isinstance', 'len', 'list', 'map', 'max', 'min', 'open',
  'print', 'range', 'reversed', 'round', 'set', 'sorted', 'str', 'sum', 'super', 'tuple', 'zip', 'self',
]);

// One alternative per kind of token, tried in this order at each position.
const PYTHON = new RegExp([
  String.raw`(?<space>\s+)`,
  String.raw`(?<comment>#[^\n]*)`,
  String.raw`(?<string>(?:[rRbBuUfF]{1,2})?(?:'''[\s\S]*?(?:'''|$)|"""[\s\S]*?(?:"""|$)|'(?:\\.|[^'\\\n])*(?:'|(?=\n)|$)|"(?:\\.|[^"\\\n])*(?:"|(?=\n)|$)))`,
  String.raw`(?<number>0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)`,
  String.raw`(?<name>[\p{L}_][\p{L}\p{N}_]*)`,
  String.raw`(?<op>\*\*=|//=|>>=|<<=|->|:=|==|!=|<=|>=|\*\*|//|<<|>>|[-+*/%&|^@]=|[^\s])`,
].join('|'), 'gyu');

/** Python source as normalised tokens (a Jupyter magic or shell line is just more tokens). */
export function pythonTokens(source: string): Token[] {
  const text = source.slice(0, MAX_CHARS);
  const tokens: Token[] = [];
  PYTHON.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (PYTHON.lastIndex < text.length && (m = PYTHON.exec(text))) {
    const g = m.groups!;
    const start = m.index;
    const end = start + m[0].length;
    if (g.space !== undefined || g.comment !== undefined) continue;
    let symbol: string;
    if (g.string !== undefined) symbol = 'S';
    else if (g.number !== undefined) symbol = 'N';
    else if (g.name !== undefined) {
      const previous = tokens.at(-1)?.symbol;
      symbol = KEYWORDS.has(g.name) || BUILTINS.has(g.name) ? g.name : previous === '.' ? `.${g.name}` : 'V';
    } else symbol = m[0];
    tokens.push({ symbol, start, end });
  }
  return tokens;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Prose as lower-cased words: punctuation, Markdown and LaTeX markup fall away. */
export function proseTokens(source: string): Token[] {
  const text = source.slice(0, MAX_CHARS);
  return [...text.matchAll(WORD)].map((m) => ({ symbol: m[0].toLowerCase(), start: m.index!, end: m.index! + m[0].length }));
}

const SEED_CALL = /\b(?:manual_seed|seed|set_seed|default_rng|RandomState|PRNGKey)\s*\(\s*(?:seed\s*=\s*)?(\d{1,12})\s*\)|\b(?:random_state|seed)\s*=\s*(\d{1,12})\b/g;

/** The seeds a notebook's code sets: torch.manual_seed(211), np.random.seed(0), random_state=42. */
export function seedsIn(source: string): string[] {
  return [...new Set([...source.slice(0, MAX_CHARS).matchAll(SEED_CALL)].map((m) => String(Number(m[1] ?? m[2]))))];
}

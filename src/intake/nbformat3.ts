/**
 * nbformat 3 notebooks (IPython 2, and tools that still write it) upgraded to nbformat 4 the
 * way nbformat's own v4/convert.py does: worksheets flattened, code cells' `input` and
 * `prompt_number` renamed `source` and `execution_count`, heading cells turned into Markdown
 * headings, outputs `pyout` → `execute_result`, `pyerr` → `error`, `stream.stream` →
 * `stream.name`. Pure, and it never mutates its input; anything else passes through as it is,
 * for the v4 schema to judge.
 */

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

const MIME: Record<string, string> = {
  text: 'text/plain', html: 'text/html', svg: 'image/svg+xml', png: 'image/png', jpeg: 'image/jpeg',
  latex: 'text/latex', json: 'application/json', javascript: 'application/javascript',
};

function upgradeOutput(output: unknown): unknown {
  if (!isObject(output)) return output;
  const { output_type: type, ...rest } = output;
  if (type === 'pyout' || type === 'display_data') {
    const { prompt_number: count, metadata, ...data } = rest;
    const mimeData = Object.fromEntries(Object.entries(data).map(([k, v]) => [MIME[k] ?? k, v]));
    return type === 'pyout'
      ? { output_type: 'execute_result', execution_count: count ?? null, metadata: isObject(metadata) ? metadata : {}, data: mimeData }
      : { output_type: 'display_data', metadata: isObject(metadata) ? metadata : {}, data: mimeData };
  }
  if (type === 'pyerr') return { ...rest, output_type: 'error' };
  if (type === 'stream') {
    const { stream, ...others } = rest;
    return { ...others, output_type: 'stream', name: stream ?? 'stdout' };
  }
  return output;
}

function upgradeCell(cell: unknown): unknown {
  if (!isObject(cell)) return cell;
  const metadata = isObject(cell.metadata) ? cell.metadata : {};
  if (cell.cell_type === 'code') {
    const { input, prompt_number: count, language: _language, collapsed, outputs, ...rest } = cell;
    return {
      ...rest, cell_type: 'code', metadata: collapsed === undefined ? metadata : { ...metadata, collapsed },
      source: input ?? '', execution_count: count ?? null, outputs: Array.isArray(outputs) ? outputs.map(upgradeOutput) : [],
    };
  }
  if (cell.cell_type === 'heading') {
    const level = typeof cell.level === 'number' && cell.level >= 1 && cell.level <= 6 ? cell.level : 1;
    // Only strings are joined: anything else the submission put there is left for the v4 schema to refuse.
    if (!(typeof cell.source === 'string' || (Array.isArray(cell.source) && cell.source.every((x) => typeof x === 'string')))) return cell;
    const text = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    return { cell_type: 'markdown', metadata, source: `${'#'.repeat(level)} ${text.split(/\r?\n/).join(' ')}` };
  }
  if (cell.cell_type === 'html') return { ...cell, cell_type: 'markdown', metadata };
  return { ...cell, metadata };
}

/** The notebook as nbformat 4 when it is nbformat 3; otherwise the same value. */
export function upgradeNotebookV3(raw: unknown): unknown {
  if (!isObject(raw) || raw.nbformat !== 3) return raw;
  const { worksheets, nbformat_minor: minor, metadata, ...rest } = raw;
  const cells = Array.isArray(worksheets) ? worksheets.flatMap((ws) => (isObject(ws) && Array.isArray(ws.cells) ? ws.cells.map(upgradeCell) : [])) : [];
  const { name: _name, signature: _signature, ...meta } = isObject(metadata) ? metadata : {};
  return { ...rest, nbformat: 4, nbformat_minor: 0, metadata: { ...meta, orig_nbformat: 3, orig_nbformat_minor: typeof minor === 'number' ? minor : 0 }, cells };
}

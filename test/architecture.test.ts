import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/architecture.md's table of allowed arrows (the fenced `arrows` block: `room -> rooms it
 * may import`) is the rule: every import in src/ between rooms must be one the table allows, and
 * the table itself has no cycle, so no import cycle between rooms can come in unseen.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');

function allowedArrows(text: string): Map<string, Set<string>> {
  const block = /```arrows\n([\s\S]*?)```/.exec(text);
  if (!block) throw new Error('docs/architecture.md has no ```arrows block');
  const arrows = new Map<string, Set<string>>();
  for (const line of block[1]!.split('\n')) {
    const rule = line.replace(/#.*/, '').trim();
    if (rule === '') continue;
    const match = /^([\w-]+)\s*->\s*(.*)$/.exec(rule);
    if (!match) throw new Error(`docs/architecture.md arrows: cannot read "${line}"`);
    const targets = match[2]!
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    arrows.set(match[1]!, new Set(targets));
  }
  return arrows;
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });

/** A file's room: its top folder under src/, or the file's own name for a file at the top (app, clock, config, errors). */
const roomOf = (path: string) => {
  const parts = relative(src, path).split('/');
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.(ts|tsx|js)$/, '');
};

const IMPORT =
  /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Every import in src/ from one room into another: [from-room, to-room, file, specifier]. */
function roomImports(): [string, string, string, string][] {
  const found: [string, string, string, string][] = [];
  for (const file of sourceFiles(src)) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = (m[1] ?? m[2])!;
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(`${src}/`)) continue;
      const from = roomOf(file);
      const to = roomOf(target);
      if (from !== to) found.push([from, to, relative(root, file), specifier]);
    }
  }
  return found;
}

describe('docs/architecture.md arrows', () => {
  const arrows = allowedArrows(doc);

  it('names every room of src/', () => {
    const rooms = new Set(sourceFiles(src).map(roomOf));
    expect([...rooms].filter((r) => !arrows.has(r)).sort()).toEqual([]);
  });

  it('holds for every import in src/', () => {
    const against = roomImports()
      .filter(([from, to]) => !arrows.get(from)?.has(to))
      .map(([from, to, file, specifier]) => `${file} imports ${specifier} (${from} -> ${to} is not in the table)`);
    expect(against).toEqual([]);
  });

  it('has no cycle, so neither can the rooms', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (room: string) => {
      state.set(room, 'open');
      path.push(room);
      for (const next of arrows.get(room) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(room, 'done');
    };
    for (const room of arrows.keys()) if (!state.has(room)) visit(room);
    expect(cycles).toEqual([]);
  });

  it('reads an arrow against the table (the check can fail)', () => {
    const table = allowedArrows('```arrows\nstorage -> domain\ndomain ->\n```\n');
    expect(table.get('storage')?.has('domain')).toBe(true);
    expect(table.get('domain')?.has('storage')).toBe(false);
    expect(() => allowedArrows('no table here')).toThrow(/no ```arrows block/);
  });
});

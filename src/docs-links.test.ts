/**
 * The project's documentation stands on its own (issue 16, "A project that stands on its own"):
 * every relative link in README.md, CONTRIBUTING.md and docs/*.md resolves to a file or folder in
 * the repository (and an #anchor to a heading of the target), and nothing links out of it — no
 * URL scheme, no protocol-relative or absolute path, no ../ above the root, no bare URL or
 * address that GitHub would turn into a link. Code blocks and code spans are not links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Folders that exist on a developer's disk but are never part of the repository. */
const NOT_IN_REPO = ['node_modules', 'dist', 'test-results', 'playwright-report', '.git'];

function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', 'CONTRIBUTING.md', ...docs.sort()];
}

/** The text with fenced code blocks blanked (kept line for line). */
function stripFences(md: string): string {
  const lines = md.split('\n');
  let fence: string | null = null;
  const out = lines.map((line) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (m && m[1]!.startsWith(fence)) fence = null;
      return '';
    }
    if (m) {
      fence = m[1]!;
      return '';
    }
    return line;
  });
  return out.join('\n');
}

/** The text with fenced code blocks and code spans blanked. */
function stripCode(md: string): string {
  return stripFences(md).replace(/(`+)[^`]*?\1/g, (s) => ' '.repeat(s.length));
}

interface Link {
  line: number;
  target: string;
}

/** Inline links and images `[text](target "title")`, reference definitions, and autolinks. */
function markdownLinks(md: string): Link[] {
  const text = stripCode(md);
  const links: Link[] = [];
  text.split('\n').forEach((line, i) => {
    const push = (target: string) => links.push({ line: i + 1, target });
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g))
      push(m[1]!);
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line);
    if (def) push(def[1]!);
    for (const m of line.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]*)>/gi)) push(m[1]!);
  });
  return links;
}

/** Bare URLs and e-mail-like addresses outside code: GitHub renders them as links. */
function bareLinks(md: string): Link[] {
  const found: Link[] = [];
  stripCode(md)
    .split('\n')
    .forEach((line, i) => {
      const prose = line.replace(/!?\[[^\]]*\]\([^)]*\)/g, ' ');
      for (const m of prose.matchAll(/\b(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi))
        found.push({ line: i + 1, target: m[0] });
    });
  return found;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1 for repeats. */
function headingAnchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of stripFences(md).split('\n')) {
    const m = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Why a link target fails, or null when it resolves inside the repository. */
function problem(file: string, target: string): string | null {
  if (target === '') return 'empty link';
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return 'links out of the repository (URL scheme)';
  if (target.startsWith('//')) return 'links out of the repository (protocol-relative)';
  if (target.startsWith('/')) return 'absolute path: use a path relative to this file';
  const hash = target.indexOf('#');
  const path = decodeURIComponent(hash >= 0 ? target.slice(0, hash) : target);
  const anchor = hash >= 0 ? decodeURIComponent(target.slice(hash + 1)) : '';
  const abs = path === '' ? join(ROOT, file) : resolve(ROOT, dirname(file), path);
  const rel = relative(ROOT, abs);
  if (rel.startsWith('..') || resolve(ROOT, rel) !== abs) return 'leaves the repository';
  if (NOT_IN_REPO.some((d) => rel === d || rel.startsWith(`${d}${sep}`)))
    return `${rel} is not part of the repository`;
  if (!existsSync(abs)) return `${rel} does not exist`;
  if (anchor !== '' && statSync(abs).isFile() && abs.endsWith('.md')) {
    if (!headingAnchors(readFileSync(abs, 'utf8')).has(anchor))
      return `${rel} has no heading #${anchor}`;
  }
  return null;
}

describe('documentation links (issue 16: the project stands on its own)', () => {
  it('finds the files it checks', () => {
    const files = docFiles();
    expect(files).toContain('docs/model.md');
    for (const f of files) expect(existsSync(join(ROOT, f)), f).toBe(true);
  });

  it.each(docFiles())('%s: every link resolves inside the repository', (file) => {
    const md = readFileSync(join(ROOT, file), 'utf8');
    const bad = markdownLinks(md)
      .map((l) => ({ ...l, why: problem(file, l.target) }))
      .filter((l) => l.why !== null)
      .map((l) => `${file}:${l.line}: ${l.target}: ${l.why}`);
    expect(bad).toEqual([]);
  });

  it.each(docFiles())('%s: no bare URL or address that would render as a link', (file) => {
    const md = readFileSync(join(ROOT, file), 'utf8');
    const bad = bareLinks(md).map((l) => `${file}:${l.line}: ${l.target}`);
    expect(bad).toEqual([]);
  });
});

describe('the link checker itself', () => {
  it.each([
    ['[a](docs/model.md)', ['docs/model.md']],
    ['![img](x.png "title")', ['x.png']],
    ['[ref]: ../y.md', ['../y.md']],
    ['<https://example.org>', ['https://example.org']],
    ['`[a](in-code.md)`', []],
    ['```\n[a](in-fence.md)\n```', []],
  ])('reads %j as links %j', (md, targets) => {
    expect(markdownLinks(md).map((l) => l.target)).toEqual(targets);
  });

  it('refuses links out of the repository and to missing files', () => {
    expect(problem('README.md', 'https://lore.kernel.org/')).toMatch(/URL scheme/);
    expect(problem('README.md', 'mailto:x@example.org')).toMatch(/URL scheme/);
    expect(problem('README.md', '../shared/docs/domain.md')).toMatch(/leaves the repository/);
    expect(problem('docs/model.md', '../../x.md')).toMatch(/leaves the repository/);
    expect(problem('README.md', '/etc/passwd')).toMatch(/absolute/);
    expect(problem('README.md', 'no-such-file.md')).toMatch(/does not exist/);
    expect(problem('README.md', 'node_modules/vitest/package.json')).toMatch(/not part/);
    expect(problem('README.md', 'README.md#no-such-heading')).toMatch(/no heading/);
    expect(problem('README.md', 'src/machine/rules.ts')).toBeNull();
    expect(problem('docs/model.md', '../src/machine/')).toBeNull();
  });

  it('makes anchors as GitHub does', () => {
    const md = '# The model\n## `#src=` links\n## What a guest does\n## What a guest does';
    expect([...headingAnchors(md)]).toEqual([
      'the-model',
      'src-links',
      'what-a-guest-does',
      'what-a-guest-does-1',
    ]);
  });

  it('flags bare URLs and addresses in prose, not in code', () => {
    const md = 'see https://x.org and a@b.com\n`c@d.com` and `https://y.org`';
    expect(bareLinks(md).map((l) => l.target)).toEqual(['https://x.org', 'a@b.com']);
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The product documents itself: every document the code, tests and docs point at is in the
 * repository. The names of documents that live outside it are spelt in pieces here, so this
 * file does not name them itself.
 */
const ROOT = process.cwd();
const OUTSIDE = [`..${'/'}shared`, `domain${'.md'}`, `CONTRACT${'.md'}`];
const TEXT = /\.(ts|tsx|js|mjs|cjs|json|md|snap|ya?ml|example|txt|html|css)$|^\.env\.example$|(^|\/)\.ci\/run$/;

/** Tracked files (a checkout), or every file but dependencies and output (a copy without .git). */
function repositoryFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter((f) => f !== '' && existsSync(join(ROOT, f)));
  } catch {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(join(ROOT, dir))) {
        if (['node_modules', 'dist', 'data', '.git', 'coverage'].includes(name)) continue;
        const path = dir ? `${dir}/${name}` : name;
        if (statSync(join(ROOT, path)).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk('');
    return files;
  }
}

const textFiles = repositoryFiles().filter((f) => TEXT.test(f) && f !== 'package-lock.json');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** `## 4.` / `### 4.4` / `## 4. …` headings of a document: the sections `§4`, `§4.4` cite. */
function sectionsOf(doc: string): Set<string> {
  const sections = new Set<string>();
  for (const match of read(doc).matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) sections.add(match[1]!);
  return sections;
}

describe('the documents the repository points at', () => {
  it('finds text files to check', () => {
    expect(textFiles).toContain('README.md');
    expect(textFiles).toContain('docs/api.md');
  });

  it('names no document outside the repository', () => {
    const found: string[] = [];
    for (const file of textFiles) {
      read(file)
        .split('\n')
        .forEach((line, i) => {
          for (const name of OUTSIDE) if (line.includes(name)) found.push(`${file}:${i + 1}: ${name}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('points only at docs/ files that exist, and at sections they have', () => {
    const missing: string[] = [];
    for (const file of textFiles) {
      read(file)
        .split('\n')
        .forEach((line, i) => {
          for (const match of line.matchAll(/(?<![\w.-])docs\/([\w./-]*[\w-])(?:\s+§(\d+(?:\.\d+)*))?/g)) {
            const doc = `docs/${match[1]}`;
            if (!existsSync(join(ROOT, doc))) {
              missing.push(`${file}:${i + 1}: ${doc}`);
              continue;
            }
            if (match[2] && doc.endsWith('.md') && !sectionsOf(doc).has(match[2])) missing.push(`${file}:${i + 1}: ${doc} §${match[2]}`);
          }
        });
    }
    expect(missing).toEqual([]);
  });

  it('links, in every Markdown file, only to files that exist', () => {
    const broken: string[] = [];
    for (const file of textFiles.filter((f) => f.endsWith('.md'))) {
      // Inline code shows link syntax as text; only real links count.
      const prose = read(file).replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
      for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        const path = normalize(join(dirname(file), target));
        if (!existsSync(join(ROOT, path))) broken.push(`${file}: ${match[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

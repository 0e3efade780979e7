import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PICTURES_FOLDER, renderPictures } from '../pictures/run.js';
import { renderTerminalSvg } from '../pictures/terminal-svg.js';
import { REPO_ROOT } from '../support/repo-root.js';

describe('README pictures', () => {
  it('plays terminal output (colours, cursor moves, erases) and draws the screen it leaves as SVG text', async () => {
    // "draft" is written, the cursor goes back to column 0 and the line is erased: only the redraw remains.
    const svg = await renderTerminalSvg('\u001b[1;31merror\u001b[0m run-debug\ndraft\r\u001b[2Kfinal <ok> & done\n', {
      cols: 40,
      rows: 10,
      title: 'demo',
    });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toMatch(/<text [^>]*fill="#f14c4c"[^>]*font-weight="bold"[^>]*>error<\/text>/);
    expect(svg).toContain('>final &lt;ok&gt; &amp; done</text>');
    expect(svg).not.toContain('draft');
    // The title, then two rows of text (three styled runs): the blank rest of the 10-row screen is trimmed.
    expect(svg.match(/<text x=/g)).toHaveLength(4);
    expect(svg).toContain('height="100"'); // 30 title bar + 2 rows of 19 + 2 x 16 padding
  });

  it('the README shows the committed pictures that npm run pictures writes', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    for (const picture of ['docs/pictures/check.svg', 'docs/pictures/migrate-review.svg']) {
      expect(readme).toContain(`(${picture})`);
      expect(existsSync(join(REPO_ROOT, picture)), picture).toBe(true);
      expect(readFileSync(join(REPO_ROOT, picture), 'utf8')).toMatch(/<svg [\s\S]*secure-flask[\s\S]*<\/svg>\n$/);
    }
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.pictures).toBe('npm run build && node dist/test/pictures/run.js');
  });

  it("each committed picture is what `npm run pictures` renders from today's CLI (re-render them when this fails)", async () => {
    const rendered = await renderPictures();
    for (const [name, svg] of Object.entries(rendered)) {
      const committed = readFileSync(join(PICTURES_FOLDER, name), 'utf8');
      expect(committed === svg, `docs/pictures/${name} is stale: run npm run pictures`).toBe(true);
    }
  }, 120_000);

  it("the Quick start names all it needs and explains the demo report's one suppression", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const quickStart = readme.slice(
      readme.indexOf('## Quick start'),
      readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1),
    );
    for (const need of [/\bgit\b/, /Node\.js 20\+/, /Python 3\.10\+/, /npm registry/, /PyPI/])
      expect(quickStart).toMatch(need);
    expect(quickStart).toMatch(/1 suppressed by comments/);
    expect(quickStart).toContain('# secure-flask: ignore[orchestrator-dev-server]');
  });
});

/**
 * The build's plan as the pipeline (src/pipeline.ts) works it out before the source is
 * read: the compiled stylesheets its transforms will use, which a prestarted rendering
 * worker loads while the source is checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadXmlFile } from '../../src/load';
import { packageRoot } from '../../src/paths';
import { transformSefs } from '../../src/pipeline';
import { writerFor } from '../../src/writers';
import type { WriterContext } from '../../src/writers/types';

const flagship = path.join(packageRoot, 'source', 'serge-1940.xml');
const sefs = path.join(packageRoot, 'lib', 'xslt');
const compiled = ['html', 'epub', 'print', 'editions', 'metadata'].every((n) =>
  fs.existsSync(path.join(sefs, `${n}.sef.json`)),
);

// (without the compiled stylesheets the writers have no jobs to ask: `npm run build`)
(compiled ? describe : describe.skip)('the stylesheets of a build, known from its formats', () => {
  const names = (formats: string[]) =>
    transformSefs(formats, { file: flagship, stem: 'serge-1940', opts: {} }).map((s) =>
      path.basename(s, '.sef.json'),
    );

  it('are each format’s own, or the one stylesheet that renders several together', () => {
    expect(names(['tei'])).toEqual([]);
    expect(names(['html'])).toEqual(['html']);
    expect(names(['epub'])).toEqual(['epub']);
    expect(names(['tei', 'html', 'epub'])).toEqual(['editions']);
    expect(names(['html', 'print'])).toEqual(['editions']);
  });

  it('are those of the jobs the build then queues, with the source read', () => {
    const loaded = loadXmlFile(flagship);
    expect(loaded.ok).toBe(true);
    for (const formats of [
      ['html'],
      ['epub'],
      ['print'],
      ['pdf'],
      ['tei', 'html', 'epub'],
      ['html', 'epub', 'print', 'pdf'],
      ['archive'],
    ]) {
      const ctx: WriterContext = { loaded, stem: 'serge-1940', previous: [], formats };
      const queued = new Set<string>();
      for (const f of formats) {
        const w = writerFor(f);
        if (w?.jobs && w.available().ok) for (const j of w.jobs(ctx)) queued.add(j.sef);
      }
      expect([
        formats,
        transformSefs(formats, { file: flagship, stem: 'serge-1940', opts: {} }),
      ]).toEqual([formats, [...queued]]);
    }
  });
});

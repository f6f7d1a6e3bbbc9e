/**
 * The build's plan as the pipeline (src/pipeline.ts) works it out before the source is
 * read: the compiled stylesheets its transforms will use, which a prestarted rendering
 * worker loads while the source is checked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../src/paths';
import { buildDocument, transformSefs } from '../../src/pipeline';
import { XsltSession } from '../../src/render/session';

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

  it('are those of the transforms a build of the flagship then queues', async () => {
    // what the build itself asks its XSLT session for, once the source is read
    const queued = jest.spyOn(XsltSession.prototype, 'prefetch');
    try {
      for (const formats of [
        ['html'],
        ['epub'],
        ['print'],
        ['tei', 'html', 'epub'],
        ['html', 'epub', 'print'],
        ['archive'],
      ]) {
        queued.mockClear();
        const r = await buildDocument(flagship, { formats });
        expect(r.ok).toBe(true);
        const asked = [...new Set(queued.mock.calls.map(([job]) => job.sef))];
        expect([
          formats,
          transformSefs(formats, { file: flagship, stem: 'serge-1940', opts: {} }),
        ]).toEqual([formats, asked]);
      }
    } finally {
      queued.mockRestore();
    }
  }, 120_000);
});

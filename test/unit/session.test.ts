/**
 * The build's XSLT session (src/render/session.ts): the same outputs and diagnostics
 * whether the work runs in a worker thread or here, on one parse of the source; a job
 * asked twice runs once; a closed session answers whoever still waits; a worker started
 * before the source was read is adopted by the next session, or ended.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { loadXmlFile } from '../../src/load';
import { editioSch, packageRoot } from '../../src/paths';
import {
  dropPrestartedWorker,
  offerSourceText,
  prestartWorker,
  workersAllowed,
  XsltSession,
} from '../../src/render/session';
import { runXslt } from '../../src/render/xslt';
import { epubJob } from '../../src/writers/epub';
import { htmlJob } from '../../src/writers/html';
import { metadataJob } from '../../src/metadata';
import { validateLoaded } from '../../src/validate';
import * as relaxng from '../../src/validate/relaxng';

const flagship = path.join(packageRoot, 'source', 'serge-1940.xml');
const invalid = path.join(packageRoot, 'test', 'fixtures', 'sch', 'note-no-resp.xml');

// the worker is compiled JavaScript (lib/render/worker.js), made by `npm run build:code`
const withWorker = workersAllowed() ? it : it.skip;
if (!workersAllowed())
  console.warn('session tests: lib/render/worker.js is missing (run `npm run build:code`)');

afterAll(() => dropPrestartedWorker());

/** A session's worker thread (private to it), or undefined once it has none. */
const workerOf = (s: XsltSession) => (s as unknown as { worker: Worker | undefined }).worker;

describe('XsltSession', () => {
  const loaded = loadXmlFile(flagship);
  const jobs = [
    htmlJob({ file: loaded.file }),
    epubJob({ file: loaded.file }),
    metadataJob(loaded.file),
  ];

  withWorker(
    'a worker and this thread give the same outputs as a plain run on the text',
    async () => {
      const plain = jobs.map((j) => runXslt({ text: loaded.text }, j));
      const threaded = new XsltSession(loaded);
      const here = new XsltSession(loaded, { threads: false });
      try {
        for (const j of jobs) threaded.prefetch(j);
        for (const [i, j] of jobs.entries()) {
          const a = await threaded.run(j);
          const b = await here.run(j);
          expect(a.ok).toBe(true);
          expect(a.principal).toBe(plain[i]!.principal);
          expect(b.principal).toBe(plain[i]!.principal);
          expect(a.documents).toEqual(plain[i]!.documents);
          expect(b.documents).toEqual(plain[i]!.documents);
        }
        // the EPUB's documents really came through
        expect((await threaded.run(jobs[1]!)).documents.length).toBeGreaterThan(3);
      } finally {
        threaded.close();
        here.close();
      }
    },
    120_000,
  );

  withWorker('says whether a worker thread does its work (builds let such work go first)', () => {
    const threaded = new XsltSession(loaded);
    const here = new XsltSession(loaded, { threads: false });
    expect(threaded.threaded).toBe(true);
    expect(here.threaded).toBe(false);
    threaded.close();
    here.close();
    expect(threaded.threaded).toBe(false);
  });

  withWorker(
    "tells a watcher of each of a transform's documents as the worker writes it",
    async () => {
      const s = new XsltSession(loaded);
      const here = new XsltSession(loaded, { threads: false });
      try {
        const job = jobs[1]!; // the EPUB: a document per file of the book
        const seen: [string, boolean][] = [];
        let answered = false;
        // turns of the event loop between the first document and the answer: the flagship's
        // cover comes before its text is rendered, so these are many (~60,000 here); the
        // documents held back in the worker and sent just before the answer left 0-379
        let turns = -1;
        const count = () => {
          if (!answered) {
            turns++;
            setImmediate(count);
          }
        };
        let failing = 0;
        s.watch(job, () => {
          failing++;
          throw new Error('a watcher that fails is told no more');
        });
        s.watch(job, (href, content) => {
          expect(content.length).toBeGreaterThan(0);
          if (seen.length === 0) count();
          seen.push([href, answered]);
        });
        const out = await s.run(job).then((o) => {
          answered = true;
          return o;
        });
        // each document, in the order written, before the answer; the answer has them all
        expect(seen.map(([h]) => h)).toEqual(out.documents.map(([h]) => h));
        expect(seen.length).toBeGreaterThan(3);
        expect(seen.every(([, after]) => !after)).toBe(true);
        expect(turns).toBeGreaterThan(2000);
        expect(failing).toBe(1);
        // a watcher that comes late is told of those written so far at once
        const late: string[] = [];
        s.watch(job, (href) => late.push(href));
        expect(late).toEqual(seen.map(([h]) => h));
        // without a worker nobody is told: the answer has every document
        const quiet: string[] = [];
        here.watch(job, (href) => quiet.push(href));
        expect((await here.run(job)).documents).toEqual(out.documents);
        expect(quiet).toEqual([]);
      } finally {
        s.close();
        here.close();
      }
    },
    60_000,
  );

  it('runs a job asked twice once', async () => {
    const s = new XsltSession(loaded, { threads: false });
    try {
      const a = s.run(htmlJob({ file: loaded.file }));
      const b = s.run(htmlJob({ file: loaded.file }));
      expect(await a).toBe(await b); // the same object: one run
      const other = await s.run(htmlJob({ file: loaded.file, params: { css: 'p{}' } }));
      expect(other).not.toBe(await a);
    } finally {
      s.close();
    }
  }, 60_000);

  withWorker(
    'Schematron gives the same diagnostics in the worker and here',
    async () => {
      const bad = loadXmlFile(invalid);
      const threaded = new XsltSession(bad);
      const here = new XsltSession(bad, { threads: false });
      try {
        threaded.prefetch(htmlJob({ file: bad.file }));
        threaded.prefetchSchematron(editioSch);
        const a = await threaded.schematron(editioSch);
        const b = await here.schematron(editioSch);
        expect(a.length).toBeGreaterThan(0);
        expect(a).toEqual(b);
        expect(a.every((d) => d.file === bad.file && d.line > 0)).toBe(true);
      } finally {
        threaded.close();
        here.close();
      }
    },
    60_000,
  );

  withWorker(
    'validation lets the session send its first task before RELAX NG runs',
    async () => {
      // RELAX NG runs synchronously once its grammar is loaded: a task sent only at its
      // first await left the worker idle meanwhile (Quintilian: 70-100 ms)
      const s = new XsltSession(loaded);
      const w = workerOf(s)!;
      const tasks: unknown[] = [];
      const post = w.postMessage.bind(w);
      w.postMessage = (m: unknown) => {
        if (typeof m === 'object' && m !== null && 'task' in m) tasks.push(m);
        post(m);
      };
      const real = relaxng.validateRelaxNG;
      const sentBefore: number[] = [];
      const spy = jest.spyOn(relaxng, 'validateRelaxNG').mockImplementation((...a) => {
        sentBefore.push(tasks.length);
        return real(...a);
      });
      try {
        s.prefetch(jobs[0]!);
        const v = await validateLoaded(loaded, {}, s);
        expect(v.valid).toBe(true);
        expect(sentBefore).toEqual([1]);
      } finally {
        spy.mockRestore();
        s.close();
      }
    },
    60_000,
  );

  withWorker(
    'a sealed session ends its worker once it has answered what was queued',
    async () => {
      const plain = runXslt({ text: loaded.text }, jobs[2]!);
      const s = new XsltSession(loaded);
      try {
        s.prefetch(jobs[0]!);
        s.seal();
        // still rendering what was queued
        expect(s.threaded).toBe(true);
        expect((await s.run(jobs[0]!)).ok).toBe(true);
        expect(workerOf(s)).toBeUndefined();
        // a task asked for after that runs here, with the same output
        const late = await s.run(jobs[2]!);
        expect(late.principal).toBe(plain.principal);
      } finally {
        s.close();
      }
    },
    60_000,
  );

  withWorker(
    'a closed session answers what was still queued, and runs nothing more',
    async () => {
      const s = new XsltSession(loaded);
      for (const j of jobs) s.prefetch(j);
      const pending = s.run(jobs[2]!);
      s.close();
      const out = await pending;
      expect(out.ok).toBe(false);
      expect(out.error).toBe('closed');
    },
    30_000,
  );

  withWorker(
    'a worker that dies leaves its work to this thread, with the same outputs',
    async () => {
      const plain = runXslt({ text: loaded.text }, jobs[0]!);
      const s = new XsltSession(loaded);
      try {
        for (const j of jobs) s.prefetch(j);
        // kill the worker (a crash, an out-of-memory) while it has work queued
        await workerOf(s)!.terminate();
        const out = await s.run(jobs[0]!);
        expect(out.ok).toBe(true);
        expect(out.principal).toBe(plain.principal);
        expect((await s.run(jobs[2]!)).ok).toBe(true);
      } finally {
        s.close();
      }
    },
    60_000,
  );

  withWorker(
    'a prestarted worker is adopted by the next session, and renders its source',
    async () => {
      const plain = jobs.map((j) => runXslt({ text: loaded.text }, j));
      const spare = prestartWorker();
      expect(spare).toBeDefined();
      const s = new XsltSession(loaded);
      expect(workerOf(s)).toBe(spare);
      try {
        // the session sends its tasks at once, before the worker says it is ready
        for (const j of jobs) s.prefetch(j);
        for (const [i, j] of jobs.entries())
          expect((await s.run(j)).principal).toBe(plain[i]!.principal);
        // a second session does not find it again: it makes its own worker
        const other = new XsltSession(loaded);
        try {
          expect(workerOf(other)).toBeDefined();
          expect(workerOf(other)).not.toBe(spare);
        } finally {
          other.close();
        }
      } finally {
        s.close();
      }
    },
    120_000,
  );

  withWorker(
    'a prestarted worker parses the text offered before the session, and uses it only if it is the source',
    async () => {
      const job = jobs[0]!;
      const plain = runXslt({ text: loaded.text }, job).principal;
      expect(plain).toContain('</html>');
      const other = fs.readFileSync(invalid, 'utf8');
      const bomb =
        '<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&b;</p></body></text></TEI>';
      // offered with the text: the job's stylesheet, which the worker loads once it has
      // parsed the text, and one that is not there, which it leaves to the task
      const missing = path.join(packageRoot, 'lib', 'xslt', 'no-such.sef.json');
      // the same text, another document, a text saxon-js's parser refuses, none at all
      for (const [offered, early, sefs] of [
        [loaded.text, true, 1],
        [other, false, 1],
        [bomb, false, 0],
        [undefined, false, 0],
      ] as const) {
        expect(prestartWorker()).toBeDefined();
        if (offered !== undefined) offerSourceText(offered, [job.sef, missing]);
        const s = new XsltSession(loaded);
        try {
          expect((await s.run(job)).principal).toBe(plain);
          expect([offered?.slice(0, 40), s.parsedEarly, s.preloadedSefs]).toEqual([
            offered?.slice(0, 40),
            early,
            sefs,
          ]);
        } finally {
          s.close();
        }
      }
      // without a prestarted worker nothing is sent anywhere
      dropPrestartedWorker();
      expect(() => offerSourceText(loaded.text)).not.toThrow();
    },
    120_000,
  );

  (workersAllowed() ? it : it.skip)(
    'a prestarted worker that no session takes keeps no process alive',
    () => {
      const lib = path.join(packageRoot, 'lib', 'render', 'session.js');
      // one process leaves it unadopted, another drops it: both end at once
      for (const code of ['s.prestartWorker();', 's.prestartWorker(); s.dropPrestartedWorker();']) {
        const r = spawnSync(
          process.execPath,
          ['-e', `const s = require(${JSON.stringify(lib)}); ${code} console.log('end');`],
          { encoding: 'utf8', timeout: 20_000 },
        );
        expect(r.status).toBe(0);
        expect(r.stdout.trim()).toBe('end');
      }
    },
    60_000,
  );

  it('reports a transform that fails as data, never as a throw', async () => {
    const s = new XsltSession(loaded, { threads: false });
    try {
      const missing = path.join(packageRoot, 'lib', 'xslt', 'no-such.sef.json');
      expect(fs.existsSync(missing)).toBe(false);
      const out = await s.run({ sef: missing, params: {} });
      expect(out.ok).toBe(false);
      expect(out.error).toMatch(/compiled stylesheet not found/);
    } finally {
      s.close();
    }
  });
});

/**
 * The PDF, `<stem>.pdf`: WeasyPrint typesets print.html (the print writer's page, or the
 * same page rendered here when print.html is not among the formats built).
 *
 * WeasyPrint runs through scripts/editio-weasyprint.py, with the interpreter of the
 * `weasyprint` command on PATH, so that editio decides what may be read: only files in
 * the source's folder (images named by graphic/@url), never the network. Its warnings
 * become diagnostics. Deterministic: the PDF's dates come from the one edition date
 * (SOURCE_DATE_EPOCH, else the source's dates), which the runner also sets as
 * SOURCE_DATE_EPOCH (fontTools stamps it into the embedded font subsets), and the file
 * identifier is a hash of the source. The runner is started early (prepare(), while the
 * build validates) and imports WeasyPrint while the page is made.
 *
 * `--pdf-variant pdf/a-3b` makes an archival PDF/A-3b with the TEI source attached;
 * `pdf/ua-1` asks WeasyPrint for PDF/UA-1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics';
import { isoToDate } from '../metadata';
import { packageRoot } from '../paths';
import { printJob, renderPrint } from './print';
import { EarlyWork } from './early';
import type { Writer, WriterContext, WriterResult } from './types';

const RUNNER = path.join(packageRoot, 'scripts', 'editio-weasyprint.py');
/** Large documents take WeasyPrint minutes; a hung engine must not hang the build. */
const TIMEOUT_MS = Number(process.env.EDITIO_PDF_TIMEOUT_MS || 15 * 60 * 1000);

export const INSTALL_HINT =
  'WeasyPrint is not installed, so no PDF was made (print.html is the PDF-ready edition); ' +
  'install it (Debian/Ubuntu: apt-get install weasyprint) and build again';

interface Engine {
  command: string;
  python: string;
}

let engineCache: Engine | null | undefined;

/** The `weasyprint` command on PATH and the Python interpreter its script names. */
export function findWeasyPrint(): Engine | null {
  if (engineCache !== undefined) return engineCache;
  engineCache = null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const command = path.join(dir, 'weasyprint');
    try {
      fs.accessSync(command, fs.constants.X_OK);
      const head = fs.readFileSync(command, 'utf8').slice(0, 200).split('\n')[0];
      const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(head);
      if (!m) continue;
      // "#!/usr/bin/env python3" or "#!/usr/bin/python3"
      const python = path.basename(m[1]) === 'env' && m[2] ? m[2] : m[1];
      engineCache = { command, python };
      break;
    } catch {
      // not here, or not a script: keep looking
    }
  }
  return engineCache;
}

/** CCYY-MM-DDThh:mm:ssZ or an ISO date, from print.html's dcterms.modified. */
function stampOf(html: string): number | undefined {
  const m = /<meta name="dcterms\.modified" content="([^"]+)"/.exec(html);
  const d = isoToDate(m?.[1]);
  return d ? Math.max(0, Math.floor(d.getTime() / 1000)) : undefined;
}

interface Run {
  child: ChildProcess;
  /** The languages' hint has been sent (once: the archive starts the PDF too). */
  hinted?: boolean;
  done: Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }>;
}

/** Start the runner: it imports WeasyPrint, then waits for its job on stdin. */
function startRunner(engine: Engine): Run {
  // WeasyPrint's own temporary files go in a folder of the runner's, removed when it
  // ends, however it ends: a runner killed because the build stopped at validation
  // cannot clean up after itself
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-weasyprint-'));
  const child = spawn(engine.python, [RUNNER], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: scratch, TMP: scratch, TEMP: scratch },
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  child.stdin!.on('error', () => undefined); // a runner that died early is reported below
  const done = new Promise<{
    status: number | null;
    stdout: string;
    stderr: string;
    error?: Error;
  }>((resolve) => {
    let error: Error | undefined;
    const timer = setTimeout(() => {
      error = Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    timer.unref();
    child.on('error', (e) => (error = e));
    child.on('close', (status) => {
      clearTimeout(timer);
      fs.rmSync(scratch, { recursive: true, force: true });
      resolve({
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        error,
      });
    });
  });
  return { child, done };
}

/** A runner started by prepare(), waiting for write(). */
let pending: Run | undefined;

/**
 * The languages of a TEI text, for the runner to load their hyphenation dictionaries
 * while the page is made: the text's (or the TEI's) xml:lang first, then the others, most
 * used first. Read from the source's text: a hint, not the page's own lang attributes.
 */
/** The three-letter codes the core writes as two (the core's own table, e:lang3). */
let lang3: Record<string, string> | undefined;
function lang3Table(): Record<string, string> {
  lang3 ??= JSON.parse(
    fs.readFileSync(path.join(packageRoot, 'src', 'xslt', 'core', 'lang3.json'), 'utf8'),
  ) as Record<string, string>;
  return lang3;
}

export function textLanguages(tei: string): string[] {
  const norm = (l: string) => lang3Table()[l.toLowerCase()] ?? l;
  const counts = new Map<string, number>();
  for (const m of tei.matchAll(
    /\sxml:lang\s*=\s*(["'])\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\s*\1/g,
  )) {
    const l = norm(m[2]!);
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  const at = (re: RegExp) => {
    const l = re.exec(tei)?.[2];
    return l === undefined ? undefined : norm(l);
  };
  const main =
    at(/<(?:[\w.-]+:)?text\b[^>]*\sxml:lang\s*=\s*(["'])\s*([^"'\s]+)\s*\1/) ??
    at(/<(?:[\w.-]+:)?(?:TEI|teiCorpus)\b[^>]*\sxml:lang\s*=\s*(["'])\s*([^"'\s]+)\s*\1/);
  const rest = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([l]) => l);
  return [...new Set([...(main && counts.has(main) ? [main] : []), ...rest])];
}

async function makePdf(ctx: WriterContext): Promise<WriterResult> {
  const diagnostics: Diagnostic[] = [];
  const file = ctx.loaded.file;
  const engine = findWeasyPrint();
  if (!engine)
    return { files: [], diagnostics: [diag('warning', 'build.pdf-skipped', INSTALL_HINT, file)] };

  let html = ctx.previous.find((f) => f.format === 'print')?.data.toString('utf8');
  if (html === undefined) {
    const r = await renderPrint(ctx);
    diagnostics.push(...r.diagnostics);
    if (!r.html) return { files: [], diagnostics };
    html = r.html;
  }

  const sourceDir = path.dirname(path.resolve(file));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-pdf-'));
  try {
    const htmlPath = path.join(tmp, 'print.html');
    const outPath = path.join(tmp, `${ctx.stem}.pdf`);
    fs.writeFileSync(htmlPath, html);
    const variant = ctx.options?.pdfVariant;
    const attachments: string[] = [];
    if (variant === 'pdf/a-3b') {
      // the TEI as published, under the edition's name
      const tei = path.join(tmp, `${ctx.stem}.xml`);
      fs.writeFileSync(tei, ctx.loaded.text);
      attachments.push(tei);
    }
    const cfg = {
      html: htmlPath,
      out: outPath,
      allow: sourceDir,
      base: sourceDir,
      variant: variant ?? null,
      attachments,
      identifier: createHash('sha256').update(ctx.loaded.text).digest('hex').slice(0, 32),
    };
    const epoch = ctx.sourceDateEpoch ?? stampOf(html) ?? 946684800;
    const run = pending ?? startRunner(engine);
    pending = undefined;
    active = run;
    run.child.stdin!.end(JSON.stringify({ ...cfg, epoch }));
    const r = await run.done;
    let report: {
      error?: string;
      messages?: { level: string; message: string }[];
      fallback?: boolean;
    } = {};
    try {
      const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
      report = last ? JSON.parse(last) : {};
    } catch {
      report = {};
    }
    if (r.error || r.status !== 0 || !fs.existsSync(outPath)) {
      const why = r.error
        ? (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT'
          ? `WeasyPrint did not finish within ${Math.round(TIMEOUT_MS / 1000)} s`
          : `WeasyPrint could not be started (${r.error.message})`
        : report.error ||
          (r.stderr ?? '').trim().split('\n').slice(-3).join(' ') ||
          `exit ${r.status}`;
      diagnostics.push(diag('error', 'pdf.failed', `the PDF could not be made: ${why}`, file));
      return { files: [], diagnostics };
    }
    if (report.fallback)
      diagnostics.push(
        diag(
          'warning',
          'pdf.footnote-fallback',
          'the notes of some lines are too tall to keep on the page of their call; WeasyPrint placed them by its default rule, so a note may fall on the next page',
          file,
        ),
      );
    for (const m of report.messages ?? [])
      diagnostics.push(diag('warning', 'pdf.engine', `WeasyPrint: ${m.message}`, file));
    return {
      files: [
        {
          path: `${ctx.stem}.pdf`,
          data: fs.readFileSync(outPath),
          format: 'pdf',
          mediaType: 'application/pdf',
        },
      ],
      diagnostics,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The runner of the PDF begun before validation (start()), until write() takes it. */
let active: Run | undefined;

/** A PDF begun before validation (start()), for write() to take. */
const early = new EarlyWork('pdf.failed', 'the PDF');

export const pdfWriter: Writer = {
  format: 'pdf',
  description: 'the PDF of the print edition (<stem>.pdf), typeset by WeasyPrint',
  available: () => (findWeasyPrint() ? { ok: true } : { ok: false, reason: INSTALL_HINT }),
  jobs: (ctx) => [printJob(ctx)],
  prepare() {
    const engine = findWeasyPrint();
    if (engine && !pending) pending = startRunner(engine);
  },
  // The PDF is the longest part of a build (WeasyPrint's layout takes seconds), and it
  // depends on validation only in whether it is kept: so it begins now, print.html first
  // in the rendering queue, and write() takes the result. If the build stops at
  // validation, release() ends WeasyPrint and the PDF is never written.
  start(ctx) {
    if (!findWeasyPrint()) return;
    ctx.xslt?.prefetch(printJob(ctx), { urgent: true });
    // the runner may load the text's hyphenation dictionaries while the page is made
    if (pending && !pending.hinted) {
      pending.hinted = true;
      pending.child.stdin!.write(
        `${JSON.stringify({ warm: { languages: textLanguages(ctx.loaded.text) } })}\n`,
      );
    }
    early.begin(ctx, makePdf);
  },
  critical(ctx) {
    return findWeasyPrint() && ctx.xslt ? ctx.xslt.run(printJob(ctx)) : undefined;
  },
  release() {
    if (pending) {
      pending.child.stdin!.end('null');
      pending = undefined;
    }
    // begun, and not taken: the build stopped before it needed the PDF
    if (early.drop()) active?.child.kill('SIGKILL');
    active = undefined;
  },
  async write(ctx) {
    return early.take(ctx) ?? makePdf(ctx);
  },
};

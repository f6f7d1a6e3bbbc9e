/**
 * The real checkers for EPUB: EPUBCheck (Debian `epubcheck`, run as
 * `java -jar /usr/share/java/epubcheck.jar`; the /usr/bin link is not executable) and
 * DAISY Ace (@daisy/ace-cli with the system Chromium).
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const EPUBCHECK_JAR = process.env.EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';

/** Why EPUBCheck cannot run here, or undefined when it can. */
export function epubcheckMissing(): string | undefined {
  if (!fs.existsSync(EPUBCHECK_JAR)) {
    return `EPUBCheck not found at ${EPUBCHECK_JAR} (apt-get install -y epubcheck)`;
  }
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) return 'java is not on PATH (apt-get install -y epubcheck)';
  return undefined;
}

export interface EpubcheckResult {
  file: string;
  fatals: number;
  errors: number;
  warnings: number;
  /** The ERROR/WARNING/FATAL lines, for a readable failure. */
  messages: string[];
  output: string;
}

function parse(file: string, output: string): EpubcheckResult {
  const m = /Messages:\s*(\d+) fatals?\s*\/\s*(\d+) errors?\s*\/\s*(\d+) warnings?/.exec(output);
  const messages = output
    .split('\n')
    .filter((l) => /^(FATAL|ERROR|WARNING)/.test(l))
    .map((l) => l.slice(0, 400));
  return {
    file,
    // No summary line means EPUBCheck itself failed: count it as a fatal.
    fatals: m ? Number(m[1]) : 1,
    errors: m ? Number(m[2]) : 0,
    warnings: m ? Number(m[3]) : 0,
    messages: m ? messages : [output.slice(0, 2000)],
    output,
  };
}

/** Run EPUBCheck on one .epub file (a JVM per run, 3–5 s). */
export function epubcheck(file: string): Promise<EpubcheckResult> {
  return new Promise((resolve) => {
    execFile(
      'java',
      ['-jar', EPUBCHECK_JAR, file],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300000 },
      (_err, stdout, stderr) => resolve(parse(file, `${stdout}\n${stderr}`)),
    );
  });
}

/**
 * A Java program (run from source by the `java` launcher, JDK 11+) that checks each .epub
 * path it reads on stdin with EPUBCheck's own API, all in one JVM, and prints a result line
 * after each file's messages. EPUBCheck's start-up (a JVM, then loading its schemas) costs
 * more than checking a small book, so one JVM for many files saves minutes.
 */
const BATCH_JAVA = [
  'import com.adobe.epubcheck.api.EpubCheck;',
  'import com.adobe.epubcheck.util.DefaultReportImpl;',
  'import java.io.BufferedReader;',
  'import java.io.File;',
  'import java.io.InputStreamReader;',
  'import java.io.PrintStream;',
  '',
  'public class EpubcheckBatch {',
  '  public static void main(String[] args) throws Exception {',
  '    PrintStream out = new PrintStream(System.out, true, "UTF-8");',
  '    System.setOut(out);',
  '    System.setErr(out);',
  '    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));',
  '    String line;',
  '    while ((line = in.readLine()) != null) {',
  '      if (line.isEmpty()) continue;',
  '      int fatals = 0, errors = 0, warnings = 0;',
  '      try {',
  '        File f = new File(line);',
  '        DefaultReportImpl report = new DefaultReportImpl(f.getName());',
  '        new EpubCheck(f, report).doValidate();',
  '        fatals = report.getFatalErrorCount();',
  '        errors = report.getErrorCount();',
  '        warnings = report.getWarningCount();',
  '      } catch (Throwable t) {',
  '        out.println("FATAL(batch): " + t);',
  '        fatals = 1;',
  '      }',
  '      out.println("EDITIO-RESULT\\t" + fatals + "\\t" + errors + "\\t" + warnings + "\\t" + line);',
  '    }',
  '  }',
  '}',
].join('\n');

/**
 * EPUBCheck over many files in one JVM. Files may be added while earlier ones are checked
 * (`add` returns at once), so checking overlaps with rendering the next book. When the
 * batch program cannot start (no JDK compiler), each file gets its own JVM instead.
 */
export class EpubcheckPool {
  private readonly results: Promise<EpubcheckResult>[] = [];
  private readonly waiting: { file: string; resolve: (r: EpubcheckResult) => void }[] = [];
  private proc?: ChildProcess;
  private buffer = '';
  private lines: string[] = [];
  private failed = false;

  add(file: string): void {
    this.results.push(
      new Promise((resolve) => {
        if (this.failed) {
          void epubcheck(file).then(resolve);
          return;
        }
        this.waiting.push({ file, resolve });
        this.start().stdin!.write(`${file}\n`);
      }),
    );
  }

  private start(): ChildProcess {
    if (this.proc) return this.proc;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-epubcheck-'));
    const src = path.join(dir, 'EpubcheckBatch.java');
    fs.writeFileSync(src, BATCH_JAVA);
    const proc = spawn('java', ['-XX:+UseSerialGC', '-cp', EPUBCHECK_JAR, src], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    proc.stdout!.setEncoding('utf8');
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (d: string) => this.lines.push(...d.split('\n').filter(Boolean)));
    proc.stdout!.on('data', (d: string) => this.read(d));
    proc.on('exit', () => {
      fs.rmSync(dir, { recursive: true, force: true });
      // Whatever is still waiting is checked one JVM per file.
      this.failed = true;
      for (const w of this.waiting.splice(0)) void epubcheck(w.file).then(w.resolve);
    });
    this.proc = proc;
    return proc;
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      const m = /^EDITIO-RESULT\t(\d+)\t(\d+)\t(\d+)\t(.*)$/.exec(line);
      if (!m) {
        this.lines.push(line);
        continue;
      }
      const w = this.waiting.shift();
      const output = this.lines.join('\n');
      this.lines = [];
      w?.resolve({
        file: m[4]!,
        fatals: Number(m[1]),
        errors: Number(m[2]),
        warnings: Number(m[3]),
        messages: output
          .split('\n')
          .filter((l) => /^(FATAL|ERROR|WARNING)/.test(l))
          .map((l) => l.slice(0, 400)),
        output,
      });
    }
  }

  async all(): Promise<EpubcheckResult[]> {
    const results = await Promise.all(this.results);
    this.proc?.stdin?.end();
    return results;
  }
}

// ---------------------------------------------------------------------------------------
// DAISY Ace

const ACE_BIN = path.resolve(
  __dirname,
  '..',
  '..',
  'node_modules',
  '@daisy',
  'ace-cli',
  'bin',
  'ace.js',
);
export const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';

/** Why Ace cannot run here, or undefined when it can. */
export function aceMissing(): string | undefined {
  if (!fs.existsSync(ACE_BIN)) {
    return '@daisy/ace-cli is not installed (PUPPETEER_SKIP_DOWNLOAD=1 npm i -D @daisy/ace-cli)';
  }
  if (!fs.existsSync(CHROMIUM))
    return `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
  return undefined;
}

export interface AceResult {
  outcome: string;
  /** "rule (impact) in file: description", one per violation. */
  violations: string[];
}

interface AceReport {
  'earl:result'?: { 'earl:outcome'?: string };
  assertions?: {
    'earl:testSubject'?: { url?: string };
    assertions?: {
      'earl:test'?: { 'dct:title'?: string; 'earl:impact'?: string };
      'earl:result'?: { 'dct:description'?: string };
    }[];
  }[];
}

/** Run Ace on one .epub; the report is read from its JSON output. */
export function ace(file: string): Promise<AceResult> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-ace-'));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [ACE_BIN, '--silent', '--force', '--outdir', out, file],
      {
        encoding: 'utf8',
        timeout: 300000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: CHROMIUM },
      },
      (err, stdout, stderr) => {
        const reportPath = path.join(out, 'report.json');
        if (!fs.existsSync(reportPath)) {
          fs.rmSync(out, { recursive: true, force: true });
          reject(new Error(`Ace produced no report: ${err?.message ?? ''}\n${stdout}\n${stderr}`));
          return;
        }
        const report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as AceReport;
        fs.rmSync(out, { recursive: true, force: true });
        const violations: string[] = [];
        for (const a of report.assertions ?? []) {
          for (const x of a.assertions ?? []) {
            violations.push(
              `${x['earl:test']?.['dct:title'] ?? '?'} (${x['earl:test']?.['earl:impact'] ?? '?'}) in ` +
                `${a['earl:testSubject']?.url ?? '?'}: ${x['earl:result']?.['dct:description'] ?? ''}`,
            );
          }
        }
        resolve({ outcome: report['earl:result']?.['earl:outcome'] ?? 'unknown', violations });
      },
    );
  });
}

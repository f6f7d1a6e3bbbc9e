/// <reference lib="dom" />
/**
 * The HTML reading edition in a real browser: playwright-core driving Debian's Chromium
 * (`apt-get install chromium`; another binary with CHROMIUM_PATH). Skipped, with a
 * warning, when no Chromium is installed.
 *
 * Needs the compiled stylesheets (`node scripts/compile-xslt.js`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { renderHtml } from '../../src/writers/html';
import { corpusDir } from '../helpers/corpus';

const repoRoot = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `skipping browser tests: no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`,
  );
}
const describeBrowser = haveChromium ? describe : describe.skip;

const AXE = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Render a TEI file to <tmp>/<stem>/index.html; return its path. */
function build(tmp: string, file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  const r = renderHtml(text, { file: path.relative(repoRoot, file) });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  const dir = path.join(tmp, path.basename(file, '.xml'));
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'index.html');
  fs.writeFileSync(out, r.html);
  return out;
}

interface Opened {
  page: Page;
  context: BrowserContext;
  problems: string[];
  requests: string[];
}

async function open(
  browser: Browser,
  file: string,
  opts: { dark?: boolean; javaScriptEnabled?: boolean } = {},
): Promise<Opened> {
  const context = await browser.newContext({
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    colorScheme: opts.dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, context, problems, requests };
}

async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> };
    };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })),
    }));
  });
}

function summary(vs: AxeViolation[]): string {
  return vs
    .map(
      (v) =>
        `${v.id} (${v.impact}, ${v.nodes.length}+ nodes): ${v.help} e.g. ${v.nodes[0]?.target.join(' ')}`,
    )
    .join('\n');
}

describeBrowser('HTML reading edition in Chromium', () => {
  let browser: Browser;
  let tmp: string;
  let flagship: string;
  let flagshipUrl: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'editio-browser-'));
    flagship = build(tmp, path.join(repoRoot, 'source', 'serge-1940.xml'));
    flagshipUrl = pathToFileURL(flagship).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('loads from disk with no other request and no console error', async () => {
    const o = await open(browser, flagship);
    try {
      // exercise the scripts too
      await o.page.click('a#ref-fn1');
      await o.page.keyboard.press('Escape');
      await o.page.check('input[value="source"]');
      expect(o.problems).toEqual([]);
      expect(o.requests).toEqual([flagshipUrl]);
    } finally {
      await o.context.close();
    }
  });

  test('without script: note call → footnote → back-link', async () => {
    const o = await open(browser, flagship, { javaScriptEnabled: false });
    try {
      const p = o.page;
      await p.click('a#ref-fn1');
      expect(new URL(p.url()).hash).toBe('#fn1');
      await expect(p.locator('#fn1')).toBeTruthy();
      expect(await p.locator('#fn1').isVisible()).toBe(true);
      await p.click('#fn1 > a.note-backlink');
      expect(new URL(p.url()).hash).toBe('#ref-fn1');
      // the reading switch needs the script: it stays hidden, the edited text shows
      expect(await p.locator('.reading-switch').isVisible()).toBe(false);
      expect(await p.locator('#corr-spirit').innerText()).toBe('spirit');
    } finally {
      await o.context.close();
    }
  });

  test('with script: note call → popover → footnote → back-link', async () => {
    const o = await open(browser, flagship);
    try {
      const p = o.page;
      await p.click('a#ref-fn1');
      const pop = p.locator('#editio-note-popover');
      expect(await pop.evaluate((el) => el.matches(':popover-open'))).toBe(true);
      expect(await pop.innerText()).toContain('criticisms are addressed at anarchists');
      await pop.locator('a.note-popover-goto').click();
      expect(await pop.evaluate((el) => el.matches(':popover-open'))).toBe(false);
      expect(new URL(p.url()).hash).toBe('#fn1');
      await p.click('#fn1 > a.note-backlink');
      expect(new URL(p.url()).hash).toBe('#ref-fn1');
      // every call points at a footnote that points back
      const broken = await p.evaluate(() =>
        Array.from(document.querySelectorAll('a.noteref[id]'))
          .filter((a) => {
            const note = document.getElementById((a.getAttribute('href') ?? '').slice(1));
            const back = note?.querySelector('a.note-backlink');
            return !back || back.getAttribute('href') !== `#${a.id}`;
          })
          .map((a) => a.id),
      );
      expect(broken).toEqual([]);
      expect(o.problems).toEqual([]);
    } finally {
      await o.context.close();
    }
  });

  test('popover by keyboard: Enter or Space opens, Escape closes, focus returns', async () => {
    const o = await open(browser, flagship);
    try {
      const p = o.page;
      const pop = p.locator('#editio-note-popover');
      const isOpen = () => pop.evaluate((el) => el.matches(':popover-open'));
      const focusInPopover = () =>
        p.evaluate(() => !!document.activeElement?.closest('#editio-note-popover'));
      const focusedId = () => p.evaluate(() => document.activeElement?.id ?? '');

      await p.focus('a#ref-fne13');
      await p.keyboard.press('Enter');
      expect(await isOpen()).toBe(true);
      expect(await focusInPopover()).toBe(true);
      expect(await pop.getAttribute('role')).toBe('dialog');
      expect(await p.locator('#editio-note-popover-title').innerText()).toContain('E10');
      expect(await pop.innerText()).toContain('“sprit” for “spirit”');
      await p.keyboard.press('Escape');
      expect(await isOpen()).toBe(false);
      await p.waitForFunction(() => document.activeElement?.id === 'ref-fne13');
      expect(await focusedId()).toBe('ref-fne13');

      await p.keyboard.press('Space');
      expect(await isOpen()).toBe(true);
      // Tab reaches the close button inside the popover
      await p.keyboard.press('Tab');
      await p.keyboard.press('Tab');
      expect(await p.evaluate(() => document.activeElement?.className)).toBe('note-popover-close');
      await p.keyboard.press('Enter');
      expect(await isOpen()).toBe(false);
      await p.waitForFunction(() => document.activeElement?.id === 'ref-fne13');
      // a note on a note: the call inside the popover opens it; Escape returns to the first call
      await p.focus('a#ref-fn2');
      await p.keyboard.press('Enter');
      await pop.locator('a.noteref').first().click();
      expect(await pop.innerText()).toContain('nothing corresponding to footnote 2');
      await p.keyboard.press('Escape');
      expect(await isOpen()).toBe(false);
      await p.waitForFunction(() => document.activeElement?.id === 'ref-fn2');
      // the popover's copy has no duplicate ids
      const dupes = await p.evaluate(() => {
        const seen = new Set<string>();
        const d: string[] = [];
        document.querySelectorAll('[id]').forEach((e) => {
          if (seen.has(e.id)) d.push(e.id);
          seen.add(e.id);
        });
        return d;
      });
      expect(dupes).toEqual([]);
      expect(o.problems).toEqual([]);
    } finally {
      await o.context.close();
    }
  });

  test('reading switch: edited text ⇄ manuscript readings', async () => {
    const o = await open(browser, flagship);
    try {
      const p = o.page;
      const choice = p.locator('#corr-spirit');
      expect(await p.locator('.reading-switch').isVisible()).toBe(true);
      expect(await choice.innerText()).toBe('spirit');
      expect(await choice.locator('.reading-source').isVisible()).toBe(false);
      await p.getByLabel('Manuscript readings').check();
      expect(await choice.innerText()).toBe('sprit');
      expect(await choice.locator('.reading-edited').isVisible()).toBe(false);
      expect(await p.locator('#reg-barbieri').innerText()).toBe('Barberi');
      // by keyboard: arrow keys move between the radio buttons
      await p.focus('input[value="source"]');
      await p.keyboard.press('ArrowLeft');
      expect(await p.isChecked('input[value="edited"]')).toBe(true);
      expect(await choice.innerText()).toBe('spirit');
      expect(await p.locator('#reg-barbieri').innerText()).toBe('Barbieri');
      expect(o.problems).toEqual([]);
    } finally {
      await o.context.close();
    }
  });

  test('index: each entry links to its occurrences', async () => {
    const o = await open(browser, flagship);
    try {
      const p = o.page;
      const bad = await p.evaluate(() =>
        Array.from(document.querySelectorAll('.name-index a'))
          .map((a) => (a.getAttribute('href') ?? '').slice(1))
          .filter((id) => !document.getElementById(id)),
      );
      expect(bad).toEqual([]);
      const trotsky = p.locator('#idx-LT .index-occurrences a');
      expect(await trotsky.count()).toBeGreaterThan(10);
      await trotsky.first().click();
      const hash = new URL(p.url()).hash.slice(1);
      expect(await p.locator(`[id="${hash}"]`).getAttribute('data-ref')).toBe('#LT');
    } finally {
      await o.context.close();
    }
  });

  for (const dark of [false, true]) {
    test(`axe-core: no violations on the flagship (${dark ? 'dark' : 'light'})`, async () => {
      const o = await open(browser, flagship, { dark });
      try {
        const vs = await axe(o.page);
        if (vs.length > 0) console.warn(`axe (${dark ? 'dark' : 'light'}):\n${summary(vs)}`);
        expect(vs.map((v) => v.id)).toEqual([]);
        // and with the source readings and a popover shown
        await o.page.check('input[value="source"]');
        await o.page.click('a#ref-fn2');
        const vs2 = await axe(o.page);
        if (vs2.length > 0) console.warn(`axe, popover open:\n${summary(vs2)}`);
        expect(vs2.map((v) => v.id)).toEqual([]);
      } finally {
        await o.context.close();
      }
    });
  }

  // Corpus documents of other projects: no violations either.
  const corpus = [
    'rusdracor-chekhov-svadba.xml', // drama
    'whitman-leaves-of-grass-1855.xml', // verse
    'teic-tei-testcorpus.xml', // teiCorpus
    'teic-stylesheets-test32-slovene-ms.xml', // manuscript with many choices
    'teic-stylesheets-testapp2-apparatus.xml', // critical apparatus
    'sga-abinger-c56-0011-surface-fragment.xml', // not a TEI document
  ].filter((f) => fs.existsSync(path.join(corpusDir, f)));
  test.each(corpus)(
    'axe-core: no violations on corpus document %s',
    async (f) => {
      const file = build(tmp, path.join(corpusDir, f));
      const o = await open(browser, file);
      try {
        const vs = await axe(o.page);
        if (vs.length > 0) console.warn(`axe ${f}:\n${summary(vs)}`);
        expect(vs.map((v) => v.id)).toEqual([]);
        expect(o.problems).toEqual([]);
        expect(o.requests).toEqual([pathToFileURL(file).href]);
      } finally {
        await o.context.close();
      }
    },
    180000,
  );
});

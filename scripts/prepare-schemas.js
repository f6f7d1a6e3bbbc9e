#!/usr/bin/env node
/**
 * Pre-convert editio's RELAX NG schemas into salve's JSON form in the grammar
 * cache ($EDITIO_CACHE_DIR, else <repo>/.cache/rng/), so that the first
 * `editio validate` does not pay for the conversion. Run after build:code.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const schemas = ['schema/tei_all.rng', 'schema/editio.rng'];

async function main() {
  let relaxng;
  try {
    relaxng = require(path.join(root, 'lib', 'validate', 'relaxng.js'));
  } catch (e) {
    console.error(
      `prepare-schemas: cannot load lib/validate/relaxng.js (run build:code first): ${e.message}`,
    );
    process.exit(1);
  }
  const cacheDir = relaxng.defaultCacheDir();
  let failed = false;
  for (const rel of schemas) {
    const file = path.join(root, rel);
    if (!fs.existsSync(file)) {
      console.log(`prepare-schemas: ${rel} not found, skipped`);
      continue;
    }
    const t0 = Date.now();
    try {
      const g = await relaxng.loadGrammar(file, { cacheDir });
      // The compact grammar of the fast validity check (<key>.fast.json), built from salve's.
      await relaxng.loadFastGrammar(file, { cacheDir });
      const what = g.source === 'converted' ? 'converted and cached' : 'already cached';
      console.log(
        `prepare-schemas: ${rel} ${what} (${Date.now() - t0} ms, key ${g.key.slice(0, 12)})`,
      );
    } catch (e) {
      failed = true;
      console.error(`prepare-schemas: ${rel}: ${e.message}`);
    }
  }
  // editio's Schematron rules, compiled once to SEF (the first compile takes seconds).
  try {
    const sch = require(path.join(root, 'lib', 'validate', 'schematron.js'));
    const t0 = Date.now();
    const errors = await sch.precompileSchematron(path.join(root, 'schema', 'editio.sch'));
    if (errors && errors.length) {
      failed = true;
      for (const e of errors) console.error(`prepare-schemas: schema/editio.sch: ${e.message}`);
    } else console.log(`prepare-schemas: schema/editio.sch compiled (${Date.now() - t0} ms)`);
  } catch (e) {
    failed = true;
    console.error(`prepare-schemas: schema/editio.sch: ${e.message}`);
  }
  console.log(`prepare-schemas: cache in ${path.relative(root, cacheDir) || cacheDir}`);
  if (failed) process.exit(1);
}

main();

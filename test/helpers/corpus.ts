/**
 * The shared corpus (`../shared/corpus`, beside the project): real TEI documents written
 * by others. Tests that use it skip, and say why, when it is not there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const corpusDir = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');

/** The corpus's XML file names, sorted; none when the corpus is absent. */
export function corpusNames(): string[] {
  return fs.existsSync(corpusDir)
    ? fs
        .readdirSync(corpusDir)
        .filter((f) => f.endsWith('.xml'))
        .sort()
    : [];
}

/** The corpus's XML files as absolute paths, sorted; none when the corpus is absent. */
export function corpusFiles(): string[] {
  return corpusNames().map((f) => path.join(corpusDir, f));
}

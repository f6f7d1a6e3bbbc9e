import * as path from 'node:path';

/** The package root (works from src/ under ts-jest and from lib/ when compiled). */
export const packageRoot = path.resolve(__dirname, '..');
export const schemaDir = path.join(packageRoot, 'schema');
export const editioRng = path.join(schemaDir, 'editio.rng');
export const editioSch = path.join(schemaDir, 'editio.sch');
export const teiAllRng = path.join(schemaDir, 'tei_all.rng');

/**
 * The bench tools are commands too: each answers --help with its usage and exit status 0,
 * at once, without measuring anything (npm run bench itself takes minutes).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const benchDir = path.resolve(__dirname, '..', '..', 'bench');
const tools = ['run.js', 'instructions.js', 'xpath-profile.js'];

test.each(tools)('bench/%s --help prints its usage and measures nothing', (tool) => {
  expect(fs.existsSync(path.join(benchDir, tool))).toBe(true);
  const r = spawnSync(process.execPath, [path.join(benchDir, tool), '--help'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^Usage: npm run bench/);
  // a measuring run prints figures in ms and the load average; usage does neither
  expect(r.stdout).not.toMatch(/\d+ ms\b|load average/);
});

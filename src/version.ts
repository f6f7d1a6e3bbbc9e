// Kept in step with package.json by test/unit/cli.test.ts.
export const version = '0.1.0';

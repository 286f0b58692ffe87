import { execFileSync } from 'child_process';
import path from 'path';

describe('the files generated from openapi.yaml', () => {
  it('are up to date (run `yarn generate` after editing the spec)', () => {
    // openapi.generated.ts (the router's spec) and -common's schema/openapi.ts (the types)
    const script = path.resolve(__dirname, '../../scripts/generate-openapi.js');
    expect(() =>
      execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});

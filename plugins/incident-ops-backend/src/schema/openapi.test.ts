import { execFileSync } from 'child_process';
import path from 'path';

describe('openapi.generated.ts', () => {
  it('is generated from openapi.yaml (run `yarn generate` after editing the spec)', () => {
    expect(() =>
      execFileSync(
        process.execPath,
        [
          path.resolve(__dirname, '../../scripts/generate-openapi.js'),
          '--check',
        ],
        { stdio: 'pipe' },
      ),
    ).not.toThrow();
  });
});

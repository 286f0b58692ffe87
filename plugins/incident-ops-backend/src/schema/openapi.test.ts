import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { spec } from './openapi.generated';

describe('openapi.generated.ts', () => {
  it('holds what openapi.yaml says (run `yarn generate` after editing the spec)', () => {
    const yaml = parse(
      fs.readFileSync(path.resolve(__dirname, 'openapi.yaml'), 'utf8'),
      { merge: true },
    );
    expect(spec).toEqual(yaml);
  });
});

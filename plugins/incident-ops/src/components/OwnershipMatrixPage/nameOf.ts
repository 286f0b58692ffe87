import { parseEntityRef } from '@backstage/catalog-model';

/** An entity's name from its ref; the ref itself when it does not parse. */
export const nameOf = (ref?: string) => {
  if (!ref) return '';
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
};

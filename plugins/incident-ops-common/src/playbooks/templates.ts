/** Placeholders in a playbook's texts: `{{name}}`, optionally filtered (`{{name | slug}}`). */

const PLACEHOLDER =
  /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*(?:\|\s*(lower|slug)\s*)?\}\}/g;

/** Filters a placeholder can apply: `{{ fqdn | slug }}`, `{{ number | lower }}`. @public */
export const PLAYBOOK_TEMPLATE_FILTERS = ['lower', 'slug'] as const;

const FILTERS: Record<string, (v: string) => string> = {
  lower: v => v.toLowerCase(),
  // a Kubernetes name part: nas-prd-03.acme.internal → nas-prd-03-acme-internal
  slug: v =>
    v
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63)
      .replace(/-+$/g, ''),
};

/** The field names a text uses, in order, each once. @public */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map(m => m[1]))];
}

/**
 * Fills `{{name}}` placeholders (optionally filtered: `{{name | slug}}`). A placeholder
 * without a value is left as it is, so it cannot pass for a real value, and is named in
 * `missing`.
 * @public
 */
export function fillTemplate(
  text: string,
  values: Record<string, string | undefined>,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const filled = text.replace(
    PLACEHOLDER,
    (whole, name: string, filter: string | undefined) => {
      const value = values[name];
      if (value === undefined) {
        missing.add(name);
        return whole;
      }
      return filter ? FILTERS[filter](value) : value;
    },
  );
  return { text: filled, missing: [...missing] };
}

/** How the stored source names read to people. */
export function sourceLabel(source: string): string {
  if (source === 'repository') return 'Repository (Markdown)';
  if (source === 'servicenow') return 'ServiceNow';
  return source;
}

/** "26 Nov 2026, 14:05": when something was last changed, with the year. */
export function formatUpdated(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The article's body without its first `# Title` line when that only repeats the title. */
export function bodyWithoutTitle(markdown: string): string {
  return markdown.replace(/^\s*#\s+[^\n]*\n+/, '');
}

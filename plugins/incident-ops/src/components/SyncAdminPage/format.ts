import { formatAge } from '../common/format';

const PROVIDER_LABEL: Record<string, string> = {
  servicenow: 'ServiceNow',
};

/** "ServiceNow" for `servicenow`; unknown providers keep their id. */
export function providerLabel(provider: string): string {
  return PROVIDER_LABEL[provider] ?? provider;
}

/** "45 s", "1 min 30 s", "2 h 5 min", "3 d 4 h": a span of time, two units at most. */
export function formatSeconds(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ];
  const first = units.findIndex(([, size]) => s >= size);
  if (first === -1) return '0 s';
  const [bigName, bigSize] = units[first];
  const big = Math.floor(s / bigSize);
  const parts = [`${big} ${bigName}`];
  const next = units[first + 1];
  if (next) {
    const small = Math.floor((s - big * bigSize) / next[1]);
    if (small > 0) parts.push(`${small} ${next[0]}`);
  }
  return parts.join(' ');
}

/** "850 ms", "12 s", "1 min 4 s": how long a sync run took. */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatSeconds(ms / 1000);
}

/** "1 min 30 s behind ServiceNow", or that the source has no complete window yet. */
export function lagLabel(provider: string, lagSeconds?: number): string {
  const source = providerLabel(provider);
  if (lagSeconds === undefined)
    return `No complete sync window with ${source} yet`;
  if (lagSeconds < 1) return `Up to date with ${source}`;
  return `${formatSeconds(lagSeconds)} behind ${source}`;
}

/** "2025-03-04 09:15:02 UTC": unambiguous for people in different time zones. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "2025-03-04 09:15:02 UTC (3 h ago)". */
export function formatWhen(iso: string, now: Date = new Date()): string {
  return `${formatTimestamp(iso)} (${formatAge(iso, now.getTime())})`;
}

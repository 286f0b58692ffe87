import {
  PRIORITIES,
  PerPriority,
  Priority,
} from '@acme/plugin-incident-ops-common';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** Stops start-up with the key at fault named. */
export const configError = (key: string, why: string): never => {
  throw new Error(`Invalid config at ${key}: ${why}`);
};

/** `values` if each is one of `allowed`; undefined when there are none. */
export function oneOf<T extends string>(
  values: string[] | undefined,
  allowed: readonly T[],
  key: string,
): T[] | undefined {
  if (!values) return undefined;
  for (const v of values) {
    if (!(allowed as readonly string[]).includes(v)) {
      configError(key, `'${v}' is not one of ${allowed.join(', ')}`);
    }
  }
  return values as T[];
}

/** A positive duration in milliseconds (Backstage's duration shape or ISO 8601). */
export function readDuration(
  config: Config,
  key: string,
  fullKey: string,
): number {
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (e) {
    return configError(fullKey, (e as Error).message);
  }
  if (!(ms > 0)) configError(fullKey, 'must be a positive duration');
  return ms;
}

/** A duration per priority under `key` (`{ P1: { minutes: 30 }, … }`); `fallback` without it. */
export function readPerPriority(
  config: Config,
  key: string,
  prefix: string,
  fallback: PerPriority,
): PerPriority {
  const section = config.getOptionalConfig(key);
  if (!section) return fallback;
  const out: PerPriority = {};
  for (const p of section.keys()) {
    oneOf([p], PRIORITIES, `${prefix}.${key}`);
    out[p as Priority] = readDuration(section, p, `${prefix}.${key}.${p}`);
  }
  return out;
}
